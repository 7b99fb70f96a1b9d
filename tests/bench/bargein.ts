/**
 * bargein.silence_ms: a person (Chromium with a fake microphone fed by a WAV of
 * the offline voice) speaks while a character talks; from the speech onset in
 * the fed audio to the moment that utterance's playback stopped at every client
 * (the speaking person's page and a second listener page).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
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
    await speaker.goto(`${app.parley.url}/?quality=low`);
    for (const p of [listener, speaker]) {
      const t0 = Date.now();
      while (!(await debug(p)).connected) { if (Date.now() - t0 > 30_000) throw new Error("page did not connect"); await new Promise((r) => setTimeout(r, 100)); }
    }
    await speaker.getByRole("button", { name: "Mic off" }).click();
    await new Promise((r) => setTimeout(r, mic.periodMs * loops + 2000));
    const [a, b] = [await debug(speaker), await debug(listener)];
    // every phrase onset fed to the microphone, on the wall clock
    const onsets: number[] = [];
    for (let k = 0; ; k++) {
      const base = a.voice.micOpenedAt + k * mic.periodMs;
      if (base > Date.now()) break;
      for (const o of mic.onsetsMs) onsets.push(base + o);
    }
    const silences: number[] = [];
    for (const on of onsets) {
      // the playback that this onset stopped, at each page: the first stop within 1 s
      const stopAt = (d: ParleyDebug): number | undefined => d.audio.stops.find((s) => s.at >= on && s.at - on < 1000)?.at;
      const sa = stopAt(a);
      const sb = stopAt(b);
      if (sa !== undefined && sb !== undefined) silences.push(Math.max(sa, sb) - on);
    }
    const detect = a.voice.onsets.map((d) => d - (onsets.filter((o) => o <= d + 50).at(-1) ?? -Infinity)).filter((x) => x >= -50 && x < 1000);
    const s = summary(silences);
    return {
      figures: {
        "bargein.silence_ms": { p50: s.p50, p95: s.p95, n: s.n },
        "bargein.vad_onset_ms": { p50: round(percentile(detect, 0.5)), n: detect.length },
      },
      notes: [
        "bargein.silence_ms: onset = where the phrase starts in the fed WAV (the fake microphone starts with the stream); stop = when each page's audio engine stopped that utterance (Silero VAD in the page, onset -> speech:start -> utt:pause)",
        `bargein: ${a.audio.stops.length} stops at the speaking page, ${b.audio.stops.length} at the listener; ${onsets.length} phrases fed`,
      ],
    };
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
