/**
 * Voices at a table of one language. A character's voice for the table's
 * language speaks as configured (with neural defaults, an espeak-ng voice gives
 * way to the language's neural voice and stays as its fallback); a voice that
 * cannot speak that language (an
 * English espeak-ng voice at a Russian table, a flite voice at a Chinese one) is
 * replaced by the language's default voice, and a fallback for a voice that
 * cannot run (no model, no server) is made to speak the language too. The
 * transcript says so once per character and language, in the table's language.
 */
import { EventEmitter } from "node:events";
import type { CharacterConfig, VoiceConfig } from "@parley/shared";
import type { VoiceRoute, RouteOptions } from "../tts/TtsRouter.js";
import type { TableLanguage } from "../i18n/TableLanguage.js";
import { offlineVoiceFor, voiceAtTable, type VoiceDefaults } from "../i18n/languages.js";
import { voiceSpeaks } from "../tts/voiceLanguages.js";
import { serverText } from "../i18n/serverText.js";

export interface VoiceRouter {
  route(voice: VoiceConfig, signal?: AbortSignal, opts?: RouteOptions): Promise<VoiceRoute>;
  /** start preparing a voice (its download) before it is first asked for */
  warm?(voice: VoiceConfig): void;
}

/** Whose voice is whose at a table, and the table's language (a table's cast). */
export interface VoiceOwners {
  readonly language: TableLanguage;
  /** the characters at the table */
  readonly list: readonly CharacterConfig[];
  /** the character speaking with `voice` at the table's current language */
  ownerOfVoice(voice: object): CharacterConfig | undefined;
}

export class TableVoices extends EventEmitter<{ note: [string] }> {
  private readonly noted = new Set<string>();
  /** the router for characters' turns: it writes its notes into the transcript instead of returning them */
  readonly forTurns: VoiceRouter = { route: (voice, signal) => this.routeForTurn(voice, signal) };

  constructor(private readonly inner: VoiceRouter, private readonly cast: VoiceOwners, private readonly defaults: VoiceDefaults = "offline") {
    super();
  }

  /**
   * What speaks `voice` at this table. `fallbackReason` is a sentence in the
   * table's language saying why it is not the configured voice ("" when it is).
   */
  async route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> {
    const r = await this.resolve(voice, signal);
    const name = this.cast.ownerOfVoice(voice)?.name ?? "";
    const t = serverText(this.cast.language.get());
    const reasons = [r.cannotSpeak ? t.voiceCannotSpeak(name) : "", r.route.fallbackReason ? t.voiceUnavailable(name, r.route.fallbackReason) : ""];
    return { ...r.route, fallbackReason: reasons.filter(Boolean).join(" ") };
  }

  /** The voice meant to speak `voice`'s lines at this table (before any fallback for a voice that cannot run). */
  intended(voice: VoiceConfig): VoiceConfig {
    const language = this.cast.language.get();
    return voiceAtTable(voice, language, this.defaults, this.cast.ownerOfVoice(voice)?.id ?? "", voiceSpeaks(voice, language));
  }

  /** A default neural voice (not one the character's file names): the offline voice speaks until it is ready. */
  private isNeuralDefault(voice: VoiceConfig, wanted: VoiceConfig): boolean {
    return this.defaults === "neural" && wanted !== voice && wanted.provider !== "espeak";
  }

  /** Starts fetching the cast's default neural voices now, so they speak from the first lines they can. */
  warm(): void {
    for (const c of this.cast.list) {
      const wanted = this.intended(c.voice);
      if (this.isNeuralDefault(c.voice, wanted)) this.inner.warm?.(wanted);
    }
  }

  private async resolve(voice: VoiceConfig, signal?: AbortSignal): Promise<{ route: VoiceRoute; cannotSpeak: boolean; neural: boolean }> {
    const language = this.cast.language.get();
    const wanted = this.intended(voice);
    const cannotSpeak = !voiceSpeaks(voice, language);
    const neural = this.isNeuralDefault(voice, wanted);
    const route = await this.inner.route(wanted, signal, { meanwhile: neural });
    if (!route.fallbackReason || voiceSpeaks(route.voice, language)) return { route, cannotSpeak, neural };
    // the fallback the voice named (or espeak's English default) cannot speak the language either: the
    // language's offline voice speaks instead, in the fallback's gender
    const offline = await this.inner.route(offlineVoiceFor(route.voice, language), signal);
    return { route: { ...offline, fallbackReason: route.fallbackReason }, cannotSpeak, neural };
  }

  private async routeForTurn(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> {
    const owner = this.cast.ownerOfVoice(voice);
    const language = this.cast.language.get();
    const { route, cannotSpeak, neural } = await this.resolve(voice, signal);
    // a voice that is no character's at this table: its caller reports the fallback
    if (!owner) return route;
    const t = serverText(language);
    if (cannotSpeak) this.noteOnce(`${owner.id}:${language}:language`, t.voiceCannotSpeak(owner.name));
    // the default neural voices that cannot be had are one note for the table, not one per character
    if (route.fallbackReason && neural) this.noteOnce(`neural:${language}`, t.neuralVoicesUnavailable(route.fallbackReason));
    else if (route.fallbackReason) this.noteOnce(`${owner.id}:${language}:unavailable`, t.voiceUnavailable(owner.name, route.fallbackReason));
    return { ...route, fallbackReason: "" };
  }

  private noteOnce(key: string, text: string): void {
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.emit("note", text);
  }
}
