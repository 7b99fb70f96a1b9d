/** 16-bit PCM helpers shared by the voice providers. */
import type { TimedPhoneme } from "../lipsync/cues.js";
import type { TtsPiece } from "./types.js";

/** Longest piece a provider yields, samples (about 170-250 ms at 16-24 kHz), so abort and streaming stay prompt. */
export const MAX_PIECE_SAMPLES = 4096;

/** Float samples in [-1, 1] to 16-bit, clipped. */
export function floatToInt16(f: ArrayLike<number>, gain = 1): Int16Array {
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const v = (f[i] ?? 0) * gain * 32767;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
  }
  return out;
}

/**
 * Piper's own conversion: scale so the loudest sample is full scale, but never
 * amplify a near-silent sentence by more than 100x (peak floor 0.01).
 */
export function peakNormalizedInt16(f: Float32Array): Int16Array {
  let peak = 0;
  for (let i = 0; i < f.length; i++) peak = Math.max(peak, Math.abs(f[i]!));
  return floatToInt16(f, 1 / Math.max(0.01, peak));
}

export function concatInt16(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Cuts one stretch of audio into pieces of at most `maxSamples`. `phonemes` are
 * positioned from the start of `pcm`; each goes with the piece it starts in,
 * shifted by `offset` (the samples already yielded for the segment).
 */
export function* piecesOf(pcm: Int16Array, phonemes: readonly TimedPhoneme[], offset: number, maxSamples = MAX_PIECE_SAMPLES): Generator<TtsPiece> {
  let p = 0;
  for (let start = 0; start < pcm.length; start += maxSamples) {
    const end = Math.min(pcm.length, start + maxSamples);
    const mine: TimedPhoneme[] = [];
    // the last piece also takes events at or past the end (a closing pause)
    while (p < phonemes.length && (phonemes[p]!.t < end || end === pcm.length)) {
      mine.push({ t: offset + Math.min(Math.max(0, phonemes[p]!.t), pcm.length), ipa: phonemes[p]!.ipa });
      p++;
    }
    yield { pcm: pcm.subarray(start, end), phonemes: mine };
  }
}

/** Linear-interpolation resampling; used only when a server answers at another rate than it did when probed. */
export function resampleLinear(pcm: Int16Array, from: number, to: number): Int16Array {
  if (from === to || pcm.length === 0) return pcm;
  const n = Math.max(1, Math.round((pcm.length * to) / from));
  const out = new Int16Array(n);
  const step = from / to;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const i0 = Math.min(pcm.length - 1, Math.floor(x));
    const i1 = Math.min(pcm.length - 1, i0 + 1);
    const f = x - i0;
    out[i] = Math.round(pcm[i0]! * (1 - f) + pcm[i1]! * f);
  }
  return out;
}
