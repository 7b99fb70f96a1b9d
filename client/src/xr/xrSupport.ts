/**
 * Headsets, as the desktop page knows them: whether this browser offers VR or AR
 * sessions, the buttons' requests, and the status parleyDebug reports. The XR
 * code itself (@react-three/xr and Parley's session parts) is a separate chunk,
 * imported only when a session is requested, so the desktop page never loads it.
 */
import { useSyncExternalStore, type ComponentType } from "react";
import i18next from "i18next";
import { Store } from "../state/store.js";
import type { MicMode, MicState } from "../voice/voiceStore.js";

export type XrMode = "vr" | "ar";

export interface XrStatus {
  supported: { vr: boolean; ar: boolean };
  mode: "none" | XrMode;
  /** my place at the table while in a session (-1 outside) */
  seat: number;
  /** my head in the room, m, and where it looks relative to facing the table from my place, rad */
  head: { x: number; y: number; z: number; yaw: number; pitch: number };
  /** AR: the table is placed on a surface and held there by an anchor */
  anchored: boolean;
  /** the session's frame budget and the measured frame time, ms (headset profile) */
  budgetMs: number;
  frameMs: number;
}

/** read by parleyDebug (fast data: written every frame in a session) */
export const xrStatus: XrStatus = {
  supported: { vr: false, ar: false }, mode: "none", seat: -1,
  head: { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }, anchored: false, budgetMs: 0, frameMs: 0,
};

/** What the session needs from the page: the same actions as its buttons and keys. */
export interface XrActions {
  mic: { start(mode: MicMode): Promise<void>; stop(): Promise<void>; pressTalk(): void; releaseTalk(): void; setMode(mode: MicMode): void };
  micState(): { mic: MicState; mode: MicMode; speaking: boolean };
  nominate(characterId: string): void;
  stop(): void;
}

/** What the XR chunk offers the page: the session's scene parts. */
interface XrModule { XrLayer: ComponentType<{ mode: XrMode }> }

interface XrUi {
  supported: { vr: boolean; ar: boolean };
  /** the session asked for, while it starts and runs */
  requested: XrMode | null;
  /** the XR chunk, once loaded */
  module: XrModule | null;
  error: string;
  /** what of the room is drawn: AR hides the walls, and the table and cast until they are placed */
  view: { shell: boolean; table: boolean; cast: boolean };
}

export const xrUi = new Store<XrUi>({ supported: { vr: false, ar: false }, requested: null, module: null, error: "", view: { shell: true, table: true, cast: true } });
export const useXrUi = <S,>(select: (s: XrUi) => S): S => useSyncExternalStore(xrUi.subscribe, () => select(xrUi.get()));

let actions: XrActions | null = null;
export const setXrActions = (a: XrActions): void => { actions = a; };
export const xrActions = (): XrActions | null => actions;

/** Asks the browser which immersive sessions it offers (no XR code is loaded for this). */
export async function detectXr(): Promise<void> {
  const xr = (navigator as Navigator & { xr?: { isSessionSupported(mode: string): Promise<boolean> } }).xr;
  const ask = async (mode: string): Promise<boolean> => { try { return (await xr?.isSessionSupported(mode)) ?? false; } catch { return false; } };
  const supported = { vr: await ask("immersive-vr"), ar: await ask("immersive-ar") };
  xrStatus.supported = supported;
  xrUi.set({ supported });
}

/** Enter VR / Enter AR: loads the XR chunk, which starts the session once its scene parts are mounted. */
export async function requestXr(mode: XrMode): Promise<void> {
  if (xrUi.get().requested) return;
  xrUi.set({ requested: mode, error: "" });
  try {
    const module = await import("./XrLayer.js");
    xrUi.set({ module });
  } catch (err) {
    xrUi.set({ requested: null, error: i18next.t("xr.loadFailed", { error: err instanceof Error ? err.message : String(err) }) });
  }
}

/** The session ended (Leave VR, the headset's own button, or a failure to start). */
export function xrEnded(error = ""): void {
  xrUi.set({ requested: null, error });
}
