/**
 * Speech recognition providers: one interface, one provider per file. A stream
 * takes 16 kHz mono 16-bit PCM for one utterance and yields partial results while
 * audio arrives (where the model can) and one final result after `end()`.
 */
export const ASR_SAMPLE_RATE = 16000;

export interface AsrOptions {
  /** "auto" to detect, or a language code ("en", "ru", "zh", ...) */
  language: string;
  signal: AbortSignal;
}

export interface AsrResult {
  kind: "partial" | "final";
  text: string;
  /** the language heard, where the model reports it */
  language?: string;
  /** audio covered by this result, ms from the start of the utterance */
  audioMs: number;
}

export interface AsrStream {
  /** 16 kHz mono PCM; any length. */
  push(pcm: Int16Array): void;
  /** The utterance is over: the final result follows, then `results` ends. */
  end(): void;
  readonly results: AsyncIterable<AsrResult>;
}

export interface AsrProvider {
  readonly label: string;
  /** true when partial results come while the audio streams */
  readonly streaming: boolean;
  /** Loads (or downloads) the model; fails with a reason the user can act on. */
  prepare(signal?: AbortSignal): Promise<void>;
  start(opts: AsrOptions): AsrStream;
  close(): Promise<void>;
}
