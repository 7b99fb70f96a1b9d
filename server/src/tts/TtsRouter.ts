/**
 * Routes each character's voice to its provider, creating providers on first use
 * and preparing voices (model downloads) once, shared by every turn that needs
 * them. A voice that cannot run falls back to the offline espeak-ng voice with
 * the reason logged and shown, so a character never goes silent. A turn that is
 * interrupted while its voice is still being prepared only stops waiting: the
 * download goes on and the voice is not marked failed. A failure that may pass
 * (a network error, a file not there yet) is tried again after a while; one that
 * cannot (no such provider, a broken config) stays until the voice changes.
 */
import type { VoiceConfig, EspeakVoice } from "@parley/shared";
import type { TtsProvider, TtsVoiceInfo } from "./types.js";
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

export const TTS_ROUTER_DEFAULTS = {
  /** a failure that may pass is tried again after this long, ms */
  retryAfterMs: 30_000,
};

interface Failure { reason: string; retryable: boolean; at: number }

export interface RouteOptions {
  /** while the voice is still being prepared (downloaded), its offline fallback speaks instead of the turn waiting */
  meanwhile?: boolean;
}

/** Resolves with `p`, or rejects with an AbortError as soon as `signal` aborts (`p` goes on). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new DOMException("the turn was interrupted", "AbortError"));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new DOMException("the turn was interrupted", "AbortError"));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then((v) => { signal.removeEventListener("abort", onAbort); resolve(v); }, (e: unknown) => { signal.removeEventListener("abort", onAbort); reject(e); });
  });
}

export class TtsRouter {
  private readonly providers = new Map<string, Promise<TtsProvider>>();
  private readonly preparing = new Map<string, Promise<TtsProvider>>();
  private readonly failures = new Map<string, Failure>();
  /** voices prepared and ready to speak */
  private readonly prepared = new Set<string>();
  private readonly lifetime = new AbortController();
  private readonly o: typeof TTS_ROUTER_DEFAULTS;

  /**
   * @param offline the always-there voice (espeak-ng, cached): espeak voices and every fallback
   */
  constructor(
    private readonly offline: TtsProvider,
    private readonly factories: Readonly<Record<string, TtsFactory>>,
    opts: Partial<typeof TTS_ROUTER_DEFAULTS> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.o = { ...TTS_ROUTER_DEFAULTS, ...opts };
  }

  private provider(kind: string): Promise<TtsProvider> {
    if (kind === "espeak") return Promise.resolve(this.offline);
    let p = this.providers.get(kind);
    if (!p) {
      const make = this.factories[kind];
      p = make ? Promise.resolve().then(make) : Promise.reject(new TtsError(`no "${kind}" voice provider in this build`));
      // a provider that failed to start may start next time
      p.catch(() => { if (this.providers.get(kind) === p) this.providers.delete(kind); });
      this.providers.set(kind, p);
    }
    return p;
  }

  private static key(voice: VoiceConfig): string { return JSON.stringify(voice); }

  private fallbackVoice(voice: VoiceConfig): EspeakVoice {
    return voice.provider === "espeak" ? voice : voice.fallback ?? { provider: "espeak", voice: "en-us", speed: voice.speed, pitch: voice.pitch };
  }

  /** One preparation per voice, on the router's lifetime, whoever asked first. */
  private prepare(voice: VoiceConfig): Promise<TtsProvider> {
    const key = TtsRouter.key(voice);
    let p = this.preparing.get(key);
    if (!p) {
      p = this.provider(voice.provider).then(async (provider) => { await provider.prepare(voice, this.lifetime.signal); return provider; });
      const mine = p;
      p.then(
        () => { this.failures.delete(key); this.prepared.add(key); },
        (err: unknown) => {
          if (this.preparing.get(key) === mine) this.preparing.delete(key);
          const retryable = (err as { retryable?: unknown }).retryable !== false;
          this.failures.set(key, { reason: errorMessage(err), retryable, at: this.now() });
          log.warn(`voice ${voice.provider}:${"voice" in voice ? voice.voice : ""} unavailable, using the offline voice${retryable ? " for now" : ""}: ${errorMessage(err)}`);
        },
      );
      this.preparing.set(key, p);
    }
    return p;
  }

  private shouldTry(key: string): boolean {
    const f = this.failures.get(key);
    return !f || (f.retryable && this.now() - f.at >= this.o.retryAfterMs);
  }

  /**
   * Prepares a voice; resolves to what will speak (the voice itself, or its offline
   * fallback). Rejects with an AbortError if `signal` aborts while it waits.
   */
  async route(voice: VoiceConfig, signal?: AbortSignal, opts: RouteOptions = {}): Promise<VoiceRoute> {
    const key = TtsRouter.key(voice);
    if (this.shouldTry(key)) {
      const preparing = this.prepare(voice);
      if (!opts.meanwhile || this.prepared.has(key)) {
        try {
          const provider = await untilAborted(preparing, signal);
          return { voice, provider, fallbackReason: "" };
        } catch (err) {
          if (signal?.aborted) throw err;
        }
      }
      // else the preparation goes on, and the voice speaks once it is ready
    }
    const fb = this.fallbackVoice(voice);
    await untilAborted(this.offline.prepare(fb, signal), signal);
    return { voice: fb, provider: this.offline, fallbackReason: this.failures.get(key)?.reason ?? "" };
  }

  /** Starts preparing a voice (a download, with progress) so it is ready when it is first asked for. */
  warm(voice: VoiceConfig): void {
    if (this.shouldTry(TtsRouter.key(voice))) this.prepare(voice).catch(() => {});
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    const out: TtsVoiceInfo[] = [];
    for (const kind of ["espeak", ...Object.keys(this.factories)]) {
      try { out.push(...(await (await this.provider(kind)).listVoices())); } catch { /* a provider that cannot list is skipped */ }
    }
    return out;
  }

  async close(): Promise<void> {
    this.lifetime.abort();
    const all = await Promise.allSettled([...this.providers.values()]);
    await Promise.all(all.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    await this.offline.close();
  }
}
