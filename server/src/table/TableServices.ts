/** What every table of a server is built with: the server's providers, stores and settings. */
import type { CharacterConfig, Language } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { Store } from "../store/Store.js";
import type { CastLibrary } from "./Cast.js";
import type { VoiceRouter } from "./TableVoices.js";
import type { VoiceDefaults } from "../i18n/languages.js";
import type { AsrProvider } from "../asr/types.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { MEMORY_DEFAULTS } from "../memory/MemoryWriter.js";
import type { DirectorDeps } from "../director/Director.js";
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";
import type { VOICE_DEFAULTS } from "../voice/PersonVoice.js";

/** Where each character's avatar file is, and word when one changes (the AvatarStore). */
export interface AvatarUrls {
  urlFor(c: CharacterConfig): string;
  on(event: "changed", listener: (characterId: string) => void): unknown;
  off(event: "changed", listener: (characterId: string) => void): unknown;
}

export interface TableServices {
  store: Store;
  llm: LlmHost;
  /** every character this server knows: bundled and the user's own */
  library: CastLibrary;
  /** what speaks a voice (shared by every table) */
  voices: VoiceRouter;
  voiceDefaults?: VoiceDefaults;
  /** the recognizer for a language (shared by every table speaking it), or none */
  recognizer: ((language: Language) => AsrProvider) | null;
  /** where each character's avatar file is (uploads included) */
  avatars: AvatarUrls;
  /** the avatars people wear: the generated cast or their own VRM */
  personAvatars: Pick<PersonAvatars, "ensure" | "known" | "pick">;
  /** model files being fetched or loaded (voices, recognizers) */
  models: ModelStatus;
  /** live settings that tools (benchmarks) may change */
  settings: { streaming: boolean };
  maxTokens: number;
  memoryOptions?: Partial<typeof MEMORY_DEFAULTS>;
  /** director knobs for tests and benchmarks */
  directorTiming?: DirectorDeps["timing"];
  /** decides when a person's sentence is finished (null or absent: silence thresholds) */
  turnModel?: EndOfTurnModel | null;
  voiceOptions?: Partial<typeof VOICE_DEFAULTS>;
  /** told each time a page's microphone only heard what the table sent it (echo held back) */
  onEcho?: (tableId: string, sessionId: string) => void;
}
