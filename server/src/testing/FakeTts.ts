/**
 * A deterministic TTS for director and pipeline tests: a tone whose length follows
 * the text (ms per character), with one phoneme event per word, streamed in pieces.
 */
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "../tts/types.js";

export interface FakeTtsOptions {
  sampleRate: number;
  msPerChar: number;
  /** delay before each piece, ms */
  pieceDelayMs: number;
  pieceSamples: number;
}

export class FakeTts implements TtsProvider {
  readonly label = "fake";
  readonly hasTimings = true;
  readonly rate: number;
  readonly calls: string[] = [];
  private readonly o: FakeTtsOptions;

  constructor(opts: Partial<FakeTtsOptions> = {}) {
    this.o = { sampleRate: 16000, msPerChar: 50, pieceDelayMs: 1, pieceSamples: 1600, ...opts };
    this.rate = this.o.sampleRate;
  }

  async prepare(): Promise<void> {}
  sampleRate(): number { return this.rate; }
  async listVoices(): Promise<TtsVoiceInfo[]> { return [{ provider: "espeak", id: "fake", name: "Fake", languages: ["en"], sampleRate: this.rate }]; }

  async *synthesize(text: string, _voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    this.calls.push(text);
    const total = Math.max(1, Math.round((text.length * this.o.msPerChar * this.rate) / 1000));
    const words = text.split(/\s+/).filter(Boolean);
    const phonemes = words.map((_, i) => ({ t: Math.floor((i * total) / words.length), ipa: "a" }));
    for (let start = 0; start < total; start += this.o.pieceSamples) {
      await new Promise((r) => setTimeout(r, this.o.pieceDelayMs));
      if (signal.aborted) return;
      const n = Math.min(this.o.pieceSamples, total - start);
      const pcm = new Int16Array(n).fill(1000);
      yield { pcm, phonemes: phonemes.filter((p) => p.t >= start && p.t < start + n) };
    }
  }

  async close(): Promise<void> {}
}
