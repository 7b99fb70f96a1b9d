/**
 * Routes each character's voice to its provider, creating providers on first use
 * and preparing voices (model downloads) in the background. A voice that cannot
 * run falls back to the offline espeak-ng voice with the reason logged and shown,
 * so a character never goes silent.
 */
import type { VoiceConfig, EspeakVoice } from "@parley/shared";
import type { TtsProvider, TtsVoiceInfo } from "./types.js";
import type { EspeakTts } from "./EspeakTts.js";
import { TtsError, errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export type TtsFactory = () => TtsProvider | Promise<TtsProvider>;

export interface VoiceRoute {
  /** the voice that will really speak */
  voice: VoiceConfig;
  provider: TtsProvider;
  /** why the configured voice is not the one speaking, if it is not */
  fallbackReason: string;
}

export class TtsRouter {
  private readonly providers = new Map<string, Promise<TtsProvider>>();
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly espeak: EspeakTts,
    private readonly factories: Readonly<Record<string, TtsFactory>>,
  ) {}

  private provider(kind: string): Promise<TtsProvider> {
    if (kind === "espeak") return Promise.resolve(this.espeak);
    let p = this.providers.get(kind);
    if (!p) {
      const make = this.factories[kind];
      p = make ? Promise.resolve(make()) : Promise.reject(new TtsError(`no "${kind}" voice provider in this build`));
      this.providers.set(kind, p);
    }
    return p;
  }

  private static key(voice: VoiceConfig): string { return JSON.stringify(voice); }

  private offline(voice: VoiceConfig): EspeakVoice {
    return voice.provider === "espeak" ? voice : voice.fallback ?? { provider: "espeak", voice: "en-us", speed: voice.speed, pitch: voice.pitch };
  }

  /** Prepares a voice; resolves to what will speak (the voice itself, or its offline fallback). */
  async route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> {
    const key = TtsRouter.key(voice);
    const failed = this.failures.get(key);
    if (failed === undefined) {
      try {
        const p = await this.provider(voice.provider);
        await p.prepare(voice, signal);
        return { voice, provider: p, fallbackReason: "" };
      } catch (err) {
        const reason = errorMessage(err);
        this.failures.set(key, reason);
        log.warn(`voice ${voice.provider}:${"voice" in voice ? voice.voice : ""} unavailable, using the offline voice: ${reason}`);
      }
    }
    const fb = this.offline(voice);
    await this.espeak.prepare(fb);
    return { voice: fb, provider: this.espeak, fallbackReason: this.failures.get(key) ?? "" };
  }

  /** Forget a failure (after the user fixed a path or a server came up). */
  retry(voice: VoiceConfig): void { this.failures.delete(TtsRouter.key(voice)); }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    const out: TtsVoiceInfo[] = [];
    for (const kind of ["espeak", ...Object.keys(this.factories)]) {
      try { out.push(...(await (await this.provider(kind)).listVoices())); } catch { /* a provider that cannot list is skipped */ }
    }
    return out;
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.providers.values()]);
    await Promise.all(all.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    await this.espeak.close();
  }
}
