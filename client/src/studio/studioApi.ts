/** The studio's calls to the server's character library, cast and voice catalogue. */
import i18next from "i18next";
import type { CharacterConfig, VoiceConfig, VoiceProvider } from "@parley/shared";
import { api } from "../net/place.js";

/** The table the studio seats characters at: the one it was opened from (`?table=`), else the default one. */
export function studioTable(): string {
  return new URLSearchParams(window.location.search).get("table") || "main";
}
const castPath = (table = studioTable()): string => `/api/tables/${encodeURIComponent(table)}/characters`;

export interface LibraryEntry { character: CharacterConfig; bundled: boolean; edited: boolean; ownAvatar: boolean; seated: boolean }
export interface FieldIssue { path: string; message: string }
export interface VoiceInfo { provider: VoiceProvider; id: string; name: string; languages: string[] }

/** A failed request: the server's words, and each field at fault when there are some. */
export class StudioError extends Error {
  constructor(message: string, readonly issues: FieldIssue[] = []) { super(message); }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await api(path, init);
  const body = (await res.json().catch(() => ({}))) as { error?: string; issues?: FieldIssue[] };
  if (!res.ok) throw new StudioError(body.error ?? i18next.t("studio.failed", { status: res.status }), body.issues ?? []);
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const listCharacters = (): Promise<{ characters: LibraryEntry[]; generated: string[] }> => call(`/api/characters?table=${encodeURIComponent(studioTable())}`);
export const saveCharacter = (c: CharacterConfig): Promise<CharacterConfig> => call(`/api/characters/${encodeURIComponent(c.id)}`, json("PUT", c));
export const createCharacter = (c: Partial<CharacterConfig>): Promise<CharacterConfig> => call("/api/characters", json("POST", c));
export const duplicateCharacter = (id: string, name: string): Promise<CharacterConfig> => call(`/api/characters/${encodeURIComponent(id)}/duplicate`, json("POST", { name }));
export const deleteCharacter = (id: string): Promise<unknown> => call(`/api/characters/${encodeURIComponent(id)}`, { method: "DELETE" });
export const seatCharacter = (id: string, table?: string): Promise<unknown> => call(castPath(table), json("POST", { id }));
export const unseatCharacter = (id: string): Promise<unknown> => call(`${castPath()}/${encodeURIComponent(id)}`, { method: "DELETE" });
export const listVoices = (): Promise<{ voices: VoiceInfo[] }> => call("/api/voices");

/** A card file (PNG, JSON or CHARX) as a new character in the library. */
export function importCard(file: Blob): Promise<CharacterConfig> {
  const name = (file as File).name ?? "";
  const type = file.type || (/\.png$/i.test(name) ? "image/png" : /\.(charx|zip)$/i.test(name) ? "application/zip" : "application/json");
  return call("/api/characters/import", { method: "POST", headers: { "content-type": type }, body: file });
}

/** A VRM of the character's own: it becomes its avatar. */
export const uploadOwnAvatar = (id: string, file: Blob): Promise<CharacterConfig> =>
  call(`/api/characters/${encodeURIComponent(id)}/avatar`, { method: "PUT", headers: { "content-type": "model/gltf-binary" }, body: file });

let playing: HTMLAudioElement | null = null;

/** Says a sample with a voice not saved yet; resolves with why another voice spoke ("" when none did). */
export async function previewVoice(voice: VoiceConfig, text: string): Promise<string> {
  const res = await api("/api/voices/preview", json("POST", { voice, text }));
  if (!res.ok) throw new StudioError(((await res.json().catch(() => ({}))) as { error?: string }).error ?? i18next.t("errors.previewFailed", { status: res.status }));
  const fallback = res.headers.get("x-parley-fallback");
  playing?.pause();
  playing = new Audio(URL.createObjectURL(await res.blob()));
  await playing.play().catch(() => {});
  return fallback ? decodeURIComponent(fallback) : "";
}

/** Is this dropped file a character card (rather than an avatar)? */
export const isCardFile = (file: File): boolean => /\.(png|json|charx|zip)$/i.test(file.name) || ["image/png", "application/json", "application/zip"].includes(file.type);
