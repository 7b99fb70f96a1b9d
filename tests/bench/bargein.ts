/**
 * bargein.silence_ms: a person (Chromium with a fake microphone fed by a WAV of
 * the offline voice) speaks while a character talks; from the speech onset in
 * the fed audio to the moment the *output* of the speaking person's page went
 * silent, as its output meter saw it on its audio graph (an AudioWorklet on the
 * master bus; silent = below -60 dBFS and staying so for 250 ms). A second page
 * listens: it hears the person's relayed voice, so its output is not silent while
 * they talk; bargein.stop_call_ms is the onset to the later of the two pages'
 * stop calls.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../support/boot.js";
import { launchChromium, withHeadphones } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { writeFakeMic } from "../support/fakeMic.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { readDebug } from "../support/pageDebug.js";
import { percentile, round, summary, type Section } from "./stats.js";

const debug = readDebug;

export async function benchBargein(runs: number): Promise<Section> {
  ensureClientBuilt();
  const dir = mkdtempSync(join(tmpdir(), "parley-bargein-"));
  const lines = ["Ada, tell me a long story please.", "Wait, hold on."];
  const mic = await writeFakeMic(join(dir, "mic.wav"), { parts: [{ silenceS: 1, text: lines[0]! }, { silenceS: 3.5, text: lines[1]! }], tailS: 2.5 });
  const loops = Math.max(8, Math.min(runs, 15));
  const asr = new FakeAsr({ script: Array.from({ length: loops * 2 + 4 }, (_, i) => lines[i % 2]!), msPerWord: 100 });
  const app = await boot({}, { asr });
  const browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${mic.path}`]);
  try {
    const listener = await browser.newPage({ viewport: { width: 640, height: 360 } });
    await listener.goto(`${app.parley.url}/?quality=low`);
    const speaker = await browser.newPage({ viewport: { width: 640, height: 360 } });
    await withHeadphones(speaker);
    await speaker.goto(`${app.parley.url}/?quality=low`);
    for (const p of [listener, speaker]) {
      const t0 = Date.now();
      while (!(await debug(p)).connected) { if (Date.now() - t0 > 30_000) throw new Error("page did not connect"); await new Promise((r) => setTimeout(r, 100)); }
    }
    await speaker.getByRole("button", { name: "Mic off" }).click();
    await new Promise((r) => setTimeout(r, mic.periodMs * loops + 2000));
    const [a, b] = [await debug(speaker), await debug(listener)];
    // every phrase onset fed to the microphone, where its sound begins in the page's microphone stream (wall clock)
    const onsets = a.voice.soundOnsets.map((s) => a.voice.captureStartAt + s / 16);
    /** when this page's output went silent for good after `on` (null: it was not playing then) */
    const silentAt = (d: ParleyDebug, on: number): number | null => {
      const marks = d.audio.output;
      const before = marks.filter((m) => m.at <= on).at(-1);
      if (!before?.audible) return null;
      for (let i = 0; i < marks.length; i++) {
        const m = marks[i]!;
        if (m.at < on || m.audible) continue;
        const next = marks[i + 1];
        if (!next || next.at - m.at >= 250) return m.at;
      }
      return null;
    };
    const silences: number[] = [];
    const stopCalls: number[] = [];
    let notPlaying = 0;
    for (const on of onsets) {
      // silence at the speaking person's page: the listener's page plays that person's voice
      // (people hear each other), so its output is not silent while they talk
      const sa = silentAt(a, on);
      if (sa === null || sa - on > 1500) { notPlaying++; continue; }
      silences.push(sa - on);
      // the playback that this onset stopped, at each page: the first stop call within 1.5 s
      const stopAt = (d: ParleyDebug): number | undefined => d.audio.stops.find((x) => x.at >= on && x.at - on < 1500)?.at;
      const ca = stopAt(a);
      const cb = stopAt(b);
      if (ca !== undefined && cb !== undefined) stopCalls.push(Math.max(ca, cb) - on);
    }
    const detect = a.voice.onsets.map((d) => d - (onsets.filter((o) => o <= d + 50).at(-1) ?? -Infinity)).filter((x) => x >= -50 && x < 1000);
    const s = summary(silences);
    return {
      figures: {
        "bargein.silence_ms": { p50: s.p50, p95: s.p95, n: s.n },
        "bargein.stop_call_ms": summary(stopCalls),
        "bargein.vad_onset_ms": { p50: round(percentile(detect, 0.5)), n: detect.length },
      },
      notes: [
        "bargein.silence_ms: onset = where the phrase's sound begins in the page's microphone stream (dated by the stream's earliest frame); silent = each page's output meter (AudioWorklet on the master bus) saw the output drop below -60 dBFS and stay there 250 ms; at the speaking person's page (the listener's page plays that person's relayed voice, so it is not silent while they talk); bargein.stop_call_ms: the later of the two pages' stop calls (Silero VAD in the page, onset -> speech:start -> echo gate -> utt:pause)",
        "bargein: the speaking person wears headphones (the page's echo-cancelling loop off); with speakers and the loop on, the sound stops speakers.loop_delay_ms later",
        `bargein: ${onsets.length} phrase onsets, ${silences.length} over a playing voice, ${notPlaying} when the page was not playing (between sentences or already stopped)`,
      ],
    };
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
