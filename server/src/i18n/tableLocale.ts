/**
 * A table's language and what follows from it, built once per table: the cast
 * in that language, its voices, and how the room's state and transcript show it.
 */
import type { CharacterConfig, Language } from "@parley/shared";
import type { ConversationLog } from "../conversation/ConversationLog.js";
import type { RoomState } from "../room/state.js";
import { TableLanguage } from "./TableLanguage.js";
import { TableCast } from "./TableCast.js";
import { TableVoices, type VoiceRouter } from "./TableVoices.js";
import type { VoiceDefaults } from "./languages.js";

export interface TableLocale {
  language: TableLanguage;
  cast: TableCast;
  voices: TableVoices;
}

export function createTableLocale(o: { characters: readonly CharacterConfig[]; language: Language; voices: VoiceRouter; voiceDefaults?: VoiceDefaults }): TableLocale {
  const language = new TableLanguage(o.language);
  const cast = new TableCast(o.characters, language);
  return { language, cast, voices: new TableVoices(o.voices, cast, o.voiceDefaults) };
}

/**
 * Keeps a room's state in the table's language (the setting, the characters'
 * names) and writes the voices' notes into its transcript. Returns the unsubscribe.
 */
export function followTableLanguage(state: InstanceType<typeof RoomState>, locale: TableLocale, log: ConversationLog): () => void {
  const stop = locale.language.follow((language) => {
    state.settings.language = language;
    for (const c of locale.cast.list) {
      const s = state.characters.get(c.id);
      if (s) s.name = c.name;
    }
  });
  const note = (text: string): void => { log.add({ kind: "system", speakerId: "", speakerName: "Parley", text, addressee: "" }); };
  locale.voices.on("note", note);
  return () => { stop(); locale.voices.off("note", note); };
}
