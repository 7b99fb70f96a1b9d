/** Test audio for recognizers: offline espeak-ng speech at 16 kHz, tones, silence. */
import type { VoiceConfig } from "@parley/shared";
import { EspeakTts } from "../tts/EspeakTts.js";
import { resample } from "../asr/resample.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";

export function concatPcm(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const silence = (ms: number): Int16Array => new Int16Array(Math.round((ms * ASR_SAMPLE_RATE) / 1000));

export function tone(hz: number, ms: number, amplitude = 0.3, rate = ASR_SAMPLE_RATE): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / rate)));
}

/**
 * Speaks each text with espeak-ng (22.05 kHz) and resamples to 16 kHz. One engine is
 * started per call and closed after, about 250 ms.
 */
export async function espeakSpeech<const T extends readonly { text: string; voice: string }[]>(texts: T): Promise<{ [K in keyof T]: Int16Array }> {
  const tts = new EspeakTts();
  try {
    await tts.init();
    const out: Int16Array[] = [];
    for (const { text, voice } of texts) {
      const v: VoiceConfig = { provider: "espeak", voice, speed: 1, pitch: 50 };
      const pieces: Int16Array[] = [];
      for await (const p of tts.synthesize(text, v, new AbortController().signal)) pieces.push(p.pcm);
      out.push(resample(concatPcm(...pieces), tts.sampleRate(v), ASR_SAMPLE_RATE));
    }
    return out as { [K in keyof T]: Int16Array };
  } finally {
    await tts.close();
  }
}
