/**
 * What a new character gets when nothing says otherwise (a card without
 * Parley's fields, a blank one in the studio), its id, and which voices an
 * imported card may bring: only voices that run here without contacting a
 * server the card names.
 */
import { createHash } from "node:crypto";
import type { CharacterConfig, VoiceConfig } from "@parley/shared";

const VOICES = ["en-us+f3", "en-us+m3", "en-gb+f2", "en-us+m2", "en-us+f5", "en-gb+m3"];
const COLOURS = ["#e0664f", "#4f9ad9", "#d98f3f", "#b07fd9", "#5bb57a", "#d9577f", "#3fb5b0", "#c9b14a"];

const hashOf = (s: string): number => createHash("sha256").update(s).digest().readUInt32BE(0);

/** Avatar, voice and colour picked from the name, so the same card looks and sounds the same each time. */
export function defaultsFor(name: string, avatars: readonly string[]): Pick<CharacterConfig, "avatar" | "voice" | "color"> {
  const h = hashOf(name);
  return {
    avatar: avatars.length ? avatars[h % avatars.length]! : "ada.vrm",
    voice: { provider: "espeak", voice: VOICES[h % VOICES.length]!, speed: 1, pitch: 50 },
    color: COLOURS[h % COLOURS.length]!,
  };
}

/** A free id from the name ("Ada Lovelace" -> "ada-lovelace"); names without Latin letters get "card-" and a hash. */
export function idFor(name: string, taken: (id: string) => boolean): string {
  const slug = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 24).replace(/-+$/, "");
  const base = /^[a-z0-9]/.test(slug) ? slug : `card-${hashOf(name).toString(16).padStart(8, "0").slice(0, 6)}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/** A model or voice named by the catalogue, not a path or a URL. */
const catalogName = (s: string | undefined): boolean => s === undefined || /^[A-Za-z0-9_.*+-]{1,200}$/.test(s) && !s.includes("..");

/**
 * Whether a card's voice may be used as it is: offline engines, and neural
 * voices by catalogue name. A voice naming a server (openai, gpt-sovits) or a
 * file path would make Parley contact what the card's author chose.
 */
export function isSafeCardVoice(v: VoiceConfig): boolean {
  switch (v.provider) {
    case "espeak": case "flite": return true;
    case "piper": return catalogName(v.voice);
    case "kokoro": return catalogName(v.voice) && catalogName(v.model);
    case "openai": case "gpt-sovits": return false;
  }
}
