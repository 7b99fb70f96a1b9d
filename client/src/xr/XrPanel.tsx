/**
 * The panel in a headset: the microphone's state, the last lines of the
 * transcript and four buttons (Mic, Stop, Recenter, Leave). Drawn with the
 * browser's own 2D text on a canvas (any script the browser's fonts cover),
 * redrawn only when what it shows changes. It rests in front of you, or on your
 * wrist (squeeze the left controller to switch).
 */
import { useFrame } from "@react-three/fiber";
import { useEffect, useMemo, useRef } from "react";
import i18next from "i18next";
import { CanvasTexture, Matrix4, SRGBColorSpace, type Mesh } from "three";
import { uiStore } from "../state/store.js";
import { seatPose } from "../scene/layout.js";
import { xrActions, type XrMode } from "./xrSupport.js";
import { PANEL, PANEL_BUTTONS, panelPose, type PanelButton } from "./panelLayout.js";
import { xrScene } from "./xrScene.js";

/** redraw checks per second (text does not need the frame rate) */
const CHECKS_PER_S = 5;
const LINES = 4;
/** where the panel sits on the left controller: above the wrist, facing the eyes */
const ON_WRIST = new Matrix4().makeRotationX(-0.9).setPosition(0, 0.07, 0.06);

function micLabel(): string {
  const s = xrActions()?.micState();
  if (!s || s.mic === "off") return i18next.t("xr.panel.micOff");
  if (s.mic === "starting") return i18next.t("xr.panel.micStarting");
  if (s.mic === "error") return i18next.t("xr.panel.micError");
  if (s.mic === "muted") return i18next.t("xr.panel.muted");
  if (s.speaking) return i18next.t("xr.panel.talking");
  return s.mode === "ptt" ? i18next.t("xr.panel.ptt") : i18next.t("xr.panel.handsfree");
}

/** what each button says: the mic button names the mode it switches to */
const BUTTON_TEXT: Record<PanelButton, (mode: XrMode) => string> = {
  mic: () => (xrActions()?.micState().mode === "ptt" ? i18next.t("xr.panel.toHandsfree") : i18next.t("xr.panel.toPtt")),
  stop: () => i18next.t("xr.panel.stop"),
  recenter: () => i18next.t("xr.panel.recenter"),
  leave: (mode) => (mode === "vr" ? i18next.t("xr.panel.leaveVr") : i18next.t("xr.panel.leaveAr")),
};

/** Fits `text` into `maxLines` lines of `width` px, with an ellipsis when cut. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number, maxLines: number): string[] {
  const out: string[] = [];
  let line = "";
  // split on spaces, and between CJK characters (no spaces there)
  for (const word of text.split(/(?<=\s)|(?=[\u3000-\u9fff])/)) {
    if (ctx.measureText(line + word).width > width && line) { out.push(line.trimEnd()); line = ""; }
    line += word;
    if (out.length === maxLines) break;
  }
  if (out.length < maxLines && line) out.push(line.trimEnd());
  if (out.length === maxLines && out.join("").length < text.trim().length) out[maxLines - 1] = `${out[maxLines - 1]!.slice(0, -1)}…`;
  return out;
}

function draw(ctx: CanvasRenderingContext2D, mode: XrMode, mic: string, lines: { speaker: string; text: string }[]): void {
  const { w, h } = PANEL.px;
  ctx.fillStyle = "#1c1620";
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = "#f0e6f6";
  ctx.font = "600 26px system-ui, sans-serif";
  ctx.fillText(mic, 20, 40);
  ctx.font = "20px system-ui, sans-serif";
  let y = 78;
  for (const l of lines) {
    for (const row of wrap(ctx, `${l.speaker}: ${l.text}`, w - 40, 2)) {
      if (y > 300) break;
      ctx.fillStyle = "#d9cfe0";
      ctx.fillText(row, 20, y);
      y += 26;
    }
    y += 6;
  }
  for (const b of PANEL_BUTTONS) {
    ctx.fillStyle = b.id === "stop" ? "#a8444f" : b.id === "leave" ? "#4a3f5a" : "#6c5bd6";
    ctx.beginPath();
    ctx.roundRect(b.x, b.y, b.w, b.h, 12);
    ctx.fill();
    ctx.fillStyle = "#ffffff";
    ctx.font = "600 22px system-ui, sans-serif";
    const t = BUTTON_TEXT[b.id](mode);
    ctx.fillText(t, b.x + (b.w - ctx.measureText(t).width) / 2, b.y + b.h / 2 + 8);
  }
}

export function XrPanel({ mode, seat }: { mode: XrMode; seat: number }) {
  const mesh = useRef<Mesh>(null);
  const { canvas, texture } = useMemo(() => {
    const c = document.createElement("canvas");
    c.width = PANEL.px.w;
    c.height = PANEL.px.h;
    const t = new CanvasTexture(c);
    t.colorSpace = SRGBColorSpace;
    return { canvas: c, texture: t };
  }, []);
  const shown = useRef({ key: "", since: 0 });
  const pose = useMemo(() => panelPose(seatPose(seat)), [seat]);

  useEffect(() => {
    xrScene.panel = mesh.current;
    return () => { xrScene.panel = null; texture.dispose(); };
  }, [texture]);

  useFrame((_, delta) => {
    const m = mesh.current;
    if (!m) return;
    // on the wrist: follow the left controller; else rest in front of the seat
    const left = xrScene.wrist ? [...xrScene.rays].find(([src]) => src.handedness === "left")?.[1] : undefined;
    if (left) {
      m.matrixAutoUpdate = false;
      m.matrix.multiplyMatrices(left.matrixWorld, ON_WRIST);
      m.matrixWorld.copy(m.matrix);
    } else {
      m.matrixAutoUpdate = true;
      m.position.copy(pose.position);
      m.rotation.copy(pose.rotation);
    }
    const s = shown.current;
    s.since += delta;
    if (s.since < 1 / CHECKS_PER_S) return;
    s.since = 0;
    const all = uiStore.get().room.transcript;
    const lines = all.slice(-LINES).map((l) => ({ speaker: l.speakerName, text: l.interrupted ? `${l.heardText}…` : l.text }));
    const mic = micLabel();
    const key = `${mic}|${BUTTON_TEXT.mic(mode)}|${lines.map((l) => l.speaker + l.text).join("|")}`;
    if (key === s.key) return;
    s.key = key;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    draw(ctx, mode, mic, lines);
    texture.needsUpdate = true;
  });

  return (
    <mesh ref={mesh} renderOrder={10}>
      <planeGeometry args={[PANEL.width, PANEL.height]} />
      <meshBasicMaterial map={texture} toneMapped={false} />
    </mesh>
  );
}
