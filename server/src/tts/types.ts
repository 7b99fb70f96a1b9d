/**
 * Text-to-speech providers: one interface, one provider per file. Every provider
 * streams 16-bit mono PCM plus, where the engine knows them, phonemes with their
 * sample positions (the pipeline estimates mouth shapes from the audio otherwise).
 */
import type { VoiceConfig, VoiceProvider } from "@parley/shared";
import type { TimedPhoneme } from "../lipsync/cues.js";

export interface TtsPiece {
  /** mono 16-bit PCM at the voice's sample rate */
  pcm: Int16Array;
  /**
   * phonemes whose start falls in the audio produced so far, positions in samples
   * from the segment start, in order; empty when the engine gives no timings
   */
  phonemes: TimedPhoneme[];
}

export interface TtsVoiceInfo {
  provider: VoiceProvider;
  /** what goes in a character's `voice.voice` */
  id: string;
  name: string;
  /** BCP-47-ish language tags the voice speaks */
  languages: string[];
  sampleRate: number;
}

export interface TtsProvider {
  /** the provider kind, as in a voice config's `provider` */
  readonly label: string;
  /** true when pieces carry phoneme timings */
  readonly hasTimings: boolean;
  /**
   * Makes a voice ready (loads or downloads its model). Fails with a TtsError
   * whose message tells the user why and what to do.
   */
  prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void>;
  /** sample rate of a prepared voice, Hz */
  sampleRate(voice: VoiceConfig): number;
  listVoices(): Promise<TtsVoiceInfo[]>;
  /** Streams one segment's audio. Stops yielding within one piece after `signal` aborts. */
  synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece>;
  close(): Promise<void>;
}
