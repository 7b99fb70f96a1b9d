/**
 * Gives any voice a phoneme timeline: voices whose engine reports timings pass
 * through untouched; for the others every segment's audio goes through an
 * AudioVisemeEstimator and its pseudo-phonemes ride on the pieces.
 */
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "../tts/types.js";
import { AudioVisemeEstimator, type EstimatorOptions } from "../lipsync/AudioVisemeEstimator.js";

/**
 * A provider whose timings depend on the voice (a Piper or Kokoro model with a
 * durations output) says so per voice; `hasTimings` is then its answer for the
 * plain model exports.
 */
export interface VoiceTimings {
  timingsFor(voice: VoiceConfig): boolean;
}

export function voiceHasTimings(p: TtsProvider, voice: VoiceConfig): boolean {
  const perVoice = (p as Partial<VoiceTimings>).timingsFor;
  return typeof perVoice === "function" ? perVoice.call(p, voice) : p.hasTimings;
}

class AudioVisemeTts implements TtsProvider, VoiceTimings {
  readonly hasTimings = true;
  constructor(private readonly inner: TtsProvider, private readonly opts: Partial<EstimatorOptions>) {}

  get label(): string { return this.inner.label; }
  timingsFor(): boolean { return true; }
  prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> { return this.inner.prepare(voice, signal); }
  sampleRate(voice: VoiceConfig): number { return this.inner.sampleRate(voice); }
  listVoices(): Promise<TtsVoiceInfo[]> { return this.inner.listVoices(); }
  close(): Promise<void> { return this.inner.close(); }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    if (voiceHasTimings(this.inner, voice)) { yield* this.inner.synthesize(text, voice, signal); return; }
    const rate = this.inner.sampleRate(voice);
    const estimator = new AudioVisemeEstimator(this.opts);
    for await (const piece of this.inner.synthesize(text, voice, signal)) {
      if (signal.aborted) return;
      yield { pcm: piece.pcm, phonemes: estimator.push(piece.pcm, rate) };
    }
    if (signal.aborted) return;
    // the last window's events ride on an empty piece so they still reach the chunker
    const tail = estimator.end();
    if (tail.length) yield { pcm: new Int16Array(0), phonemes: tail };
  }
}

/** Wraps a provider so every voice's pieces carry phonemes (engine timings or estimated from the audio). */
export function withAudioVisemes(inner: TtsProvider, opts: Partial<EstimatorOptions> = {}): TtsProvider {
  return inner instanceof AudioVisemeTts ? inner : new AudioVisemeTts(inner, opts);
}
