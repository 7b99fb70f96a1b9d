/**
 * A WAV file for Chromium's fake microphone (--use-file-for-fake-audio-capture):
 * phrases spoken by the offline voice, placed at known times between silences,
 * so a test knows when the "person" starts each phrase. Chromium loops the file.
 */
import { writeFile } from "node:fs/promises";
import { EspeakTts } from "../../server/src/tts/EspeakTts.js";
import { resample } from "../../server/src/asr/resample.js";
import { encodeWav } from "../../server/src/asr/wav.js";

export const FAKE_MIC_RATE = 48000;

export interface MicScript {
  /** silence before each phrase, s; then the phrase */
  parts: { silenceS: number; text: string }[];
  /** silence after the last phrase, s */
  tailS: number;
}

export interface MicFile {
  path: string;
  /** where each phrase's speech begins in the file, ms */
  onsetsMs: number[];
  /** where each phrase's speech ends in the file (its last clearly audible sample), ms */
  endsMs: number[];
  /** the file's length (one loop), ms */
  periodMs: number;
}

export async function writeFakeMic(path: string, script: MicScript): Promise<MicFile> {
  const tts = new EspeakTts();
  await tts.init();
  const chunks: Int16Array[] = [];
  const onsetsMs: number[] = [];
  const endsMs: number[] = [];
  let length = 0;
  const push = (pcm: Int16Array): void => { chunks.push(pcm); length += pcm.length; };
  try {
    for (const part of script.parts) {
      push(new Int16Array(Math.round(part.silenceS * FAKE_MIC_RATE)));
      const pieces: Int16Array[] = [];
      for await (const p of tts.synthesize(part.text, { provider: "espeak", voice: "en-us", speed: 1, pitch: 45 }, new AbortController().signal)) pieces.push(p.pcm);
      const speech = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of pieces) { speech.set(p, o); o += p.length; }
      const up = resample(speech, tts.sampleRate(), FAKE_MIC_RATE);
      // the phrase's real onset: the first sample clearly above silence
      let first = 0;
      while (first < up.length && Math.abs(up[first]!) < 500) first++;
      onsetsMs.push(((length + first) * 1000) / FAKE_MIC_RATE);
      let last = up.length - 1;
      while (last > first && Math.abs(up[last]!) < 500) last--;
      endsMs.push(((length + last) * 1000) / FAKE_MIC_RATE);
      push(up);
    }
    push(new Int16Array(Math.round(script.tailS * FAKE_MIC_RATE)));
  } finally {
    await tts.close();
  }
  const all = new Int16Array(length);
  let o = 0;
  for (const c of chunks) { all.set(c, o); o += c.length; }
  await writeFile(path, encodeWav(all, FAKE_MIC_RATE));
  return { path, onsetsMs, endsMs, periodMs: (length * 1000) / FAKE_MIC_RATE };
}
