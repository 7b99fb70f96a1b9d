/** Per-character volume and mute, remembered in this browser. */
import i18next from "i18next";
import { runtime } from "../state/runtime.js";
import { api, forTable } from "../net/place.js";

const key = (id: string): string => `parley.voice.${id}`;

export function savedVolume(id: string): { volume: number; muted: boolean } {
  try {
    const v = JSON.parse(localStorage.getItem(key(id)) ?? "null") as { volume?: number; muted?: boolean } | null;
    return { volume: typeof v?.volume === "number" ? Math.min(1, Math.max(0, v.volume)) : 1, muted: v?.muted === true };
  } catch {
    return { volume: 1, muted: false };
  }
}

export function applyVolume(id: string, volume: number, muted: boolean): void {
  runtime.audio?.setVolume(id, volume, muted);
  try { localStorage.setItem(key(id), JSON.stringify({ volume, muted })); } catch { /* private mode */ }
}

/** Restores every character's saved volume into the audio engine. */
export function restoreVolumes(ids: readonly string[]): void {
  for (const id of ids) {
    const v = savedVolume(id);
    runtime.audio?.setVolume(id, v.volume, v.muted);
  }
}

export async function previewVoice(id: string): Promise<string> {
  const res = await api(forTable(`/api/voices/preview?character=${encodeURIComponent(id)}`));
  if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? i18next.t("errors.previewFailed", { status: res.status }));
  // why another voice speaks, already in the table's language
  const fallback = res.headers.get("x-parley-fallback");
  await runtime.audio?.playClip(id, await res.arrayBuffer());
  return fallback ? decodeURIComponent(fallback) : "";
}
