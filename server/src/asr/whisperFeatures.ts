/**
 * Whisper's log-mel input: 30 s windows (480 000 samples at 16 kHz, zero-padded),
 * a 400-point periodic Hann STFT with hop 160 and centre reflect padding, the last
 * frame dropped (3000 frames), power spectrum, a Slaney-scale / Slaney-normalised
 * mel filter bank over 0..8000 Hz (80 bins, 128 for large-v3), then
 * log10(max(x, 1e-10)), floored at (max - 8) and mapped by (x + 4) / 4.
 * Same recipe as openai/whisper `log_mel_spectrogram` and transformers(.js)
 * `WhisperFeatureExtractor`.
 */
import { fftPlan } from "./fft.js";

export const WHISPER_SAMPLE_RATE = 16000;
export const WHISPER_N_FFT = 400;
export const WHISPER_HOP = 160;
/** samples per window: 30 s */
export const WHISPER_CHUNK_SAMPLES = 480_000;
/** mel frames per window */
export const WHISPER_FRAMES = 3000;

const hzToMelSlaney = (hz: number): number => (hz < 1000 ? (3 * hz) / 200 : 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27));
const melToHzSlaney = (mel: number): number => (mel < 15 ? (200 * mel) / 3 : 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)));

/** Triangular filters, row-major [nMels][nFft/2 + 1], as librosa.filters.mel(norm="slaney"). */
export function slaneyMelFilters(nMels: number, nFft = WHISPER_N_FFT, sampleRate = WHISPER_SAMPLE_RATE, fMax = sampleRate / 2): Float32Array {
  const nBins = Math.floor(nFft / 2) + 1;
  const melMax = hzToMelSlaney(fMax);
  const hz = Array.from({ length: nMels + 2 }, (_, i) => melToHzSlaney((melMax * i) / (nMels + 1)));
  const out = new Float32Array(nMels * nBins);
  for (let m = 0; m < nMels; m++) {
    const lo = hz[m]!;
    const mid = hz[m + 1]!;
    const hi = hz[m + 2]!;
    const norm = 2 / (hi - lo);
    for (let k = 0; k < nBins; k++) {
      const f = (k * sampleRate) / nFft;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      out[m * nBins + k] = w * norm;
    }
  }
  return out;
}

export class WhisperFeatureExtractor {
  private readonly filters: Float32Array;
  /** each filter's nonzero bins [from, to): a triangle spans a few bins of 201 */
  private readonly spans: Int32Array;
  private readonly window = new Float64Array(WHISPER_N_FFT);
  private readonly nBins = WHISPER_N_FFT / 2 + 1;
  /** mel frames per window */
  readonly frames: number;

  /**
   * @param chunkSamples the window, zero-padded (Whisper: 30 s; Smart Turn: 8 s,
   *   `WhisperFeatureExtractor(chunk_length=8)`)
   */
  constructor(readonly nMels = 80, readonly chunkSamples = WHISPER_CHUNK_SAMPLES) {
    this.frames = chunkSamples / WHISPER_HOP;
    this.filters = slaneyMelFilters(nMels);
    this.spans = new Int32Array(2 * nMels);
    for (let m = 0; m < nMels; m++) {
      let from = 0;
      let to = this.nBins;
      while (from < to && this.filters[m * this.nBins + from] === 0) from++;
      while (to > from && this.filters[m * this.nBins + to - 1] === 0) to--;
      this.spans[2 * m] = from;
      this.spans[2 * m + 1] = to;
    }
    for (let i = 0; i < WHISPER_N_FFT; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / WHISPER_N_FFT);
  }

  /**
   * Log-mel features of up to one window of audio, laid out as the encoder's
   * `input_features` [1, nMels, frames] (index m·frames + t; 3000 frames for 30 s).
   * Longer input is cut at the window.
   */
  compute(samples: Float32Array): Float32Array {
    const FRAMES = this.frames;
    const CHUNK = this.chunkSamples;
    const len = Math.min(samples.length, CHUNK);
    const half = WHISPER_N_FFT / 2;
    const fft = fftPlan(WHISPER_N_FFT);
    const frame = new Float64Array(WHISPER_N_FFT);
    const re = new Float64Array(WHISPER_N_FFT);
    const im = new Float64Array(WHISPER_N_FFT);
    const power = new Float64Array(this.nBins);
    const mel = new Float64Array(this.nMels * FRAMES);
    // the window is zero-padded: frames that start past the audio are silent
    const lastFrame = Math.min(FRAMES, Math.ceil((len + half) / WHISPER_HOP) + 1);
    // value at position j of the centre-padded window (reflect at both ends)
    const at = (j: number): number => {
      let s = j - half;
      if (s < 0) s = -s;
      if (s >= CHUNK) s = 2 * (CHUNK - 1) - s;
      return s < len ? samples[s]! : 0;
    };
    for (let t = 0; t < lastFrame; t++) {
      const start = t * WHISPER_HOP;
      for (let i = 0; i < WHISPER_N_FFT; i++) frame[i] = at(start + i) * this.window[i]!;
      fft.powerSpectrum(frame, re, im, power);
      for (let m = 0; m < this.nMels; m++) {
        let acc = 0;
        const row = m * this.nBins;
        for (let k = this.spans[2 * m]!, end = this.spans[2 * m + 1]!; k < end; k++) acc += this.filters[row + k]! * power[k]!;
        mel[m * FRAMES + t] = acc;
      }
    }
    const out = new Float32Array(this.nMels * FRAMES);
    let max = -Infinity;
    for (let i = 0; i < mel.length; i++) {
      const v = Math.log10(Math.max(mel[i]!, 1e-10));
      out[i] = v;
      if (v > max) max = v;
    }
    const floor = max - 8;
    for (let i = 0; i < out.length; i++) out[i] = (Math.max(out[i]!, floor) + 4) / 4;
    return out;
  }
}

/** Int16 PCM to floats in [-1, 1). */
export function pcmToFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}
