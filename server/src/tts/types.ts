/** Text-to-speech providers: one interface, one provider per file. */
import type { VoiceConfig } from "@parley/shared";
import type { TimedPhoneme } from "../speech/cues.js";

export interface TtsPiece {
  /** mono 16-bit PCM at `sampleRate` */
  pcm: Int16Array;
  /** phonemes whose start falls in the audio produced so far, positions in samples from the segment start */
  phonemes: TimedPhoneme[];
}

export interface TtsProvider {
  readonly label: string;
  readonly sampleRate: number;
  /** Streams one segment's audio. Stops yielding soon after `signal` aborts. */
  synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece>;
  close(): Promise<void>;
}
