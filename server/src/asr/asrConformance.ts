/**
 * The behaviour every AsrProvider promises, as a shared vitest suite. A provider's
 * test file calls `describeAsrConformance(name, setup)` with a prepared provider and
 * 16 kHz speech it transcribes to `expect`:
 *
 * - exactly one final after end(), then the results end; partials (streaming
 *   providers) come before it, in order of the audio they cover;
 * - silence and an empty utterance give an empty final;
 * - an abort mid-utterance, or while the final is being computed, ends the results
 *   promptly without an error;
 * - odd frame sizes (1 sample, 7, 333, 4095...) give the same transcript;
 * - 60 s of audio finishes within the provider's time budget without a large heap
 *   growth (bounded buffering; see each provider for what happens past its cap);
 * - push() after end() and a second end() are ignored.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { AsrProvider, AsrResult, AsrStream } from "./types.js";
import { ASR_SAMPLE_RATE } from "./types.js";

export interface ConformanceSubject {
  provider: AsrProvider;
  /** 16 kHz speech */
  speech: Int16Array;
  /** what the final for `speech` must match */
  expect: RegExp;
  language: string;
  /** ceiling for a 60 s utterance, from end() to the final, ms */
  longAudioBudgetMs?: number;
  cleanup?: () => Promise<void>;
}

const FRAME = 320; // 20 ms
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function collect(stream: AsrStream): Promise<AsrResult[]> {
  const out: AsrResult[] = [];
  for await (const r of stream.results) out.push(r);
  return out;
}

/** Pushes audio in frames, yielding to the event loop every `yieldEveryMs` of audio. */
export async function pushPaced(stream: AsrStream, pcm: Int16Array, frame = FRAME, yieldEveryMs = 100, pauseMs = 0): Promise<void> {
  const every = (yieldEveryMs * ASR_SAMPLE_RATE) / 1000;
  let sinceYield = 0;
  for (let i = 0; i < pcm.length; i += frame) {
    stream.push(pcm.subarray(i, i + frame));
    sinceYield += frame;
    if (sinceYield >= every) { sinceYield = 0; await sleep(pauseMs); }
  }
}

export function checkResultOrder(results: AsrResult[]): void {
  const finals = results.filter((r) => r.kind === "final");
  expect(finals).toHaveLength(1);
  expect(results.at(-1)!.kind).toBe("final");
  for (let i = 1; i < results.length; i++) expect(results[i]!.audioMs).toBeGreaterThanOrEqual(results[i - 1]!.audioMs);
}

export function describeAsrConformance(name: string, setup: () => Promise<ConformanceSubject>): void {
  describe(`${name} conforms to AsrProvider`, () => {
    let s: ConformanceSubject;
    beforeAll(async () => { s = await setup(); });
    afterAll(async () => {
      await s?.provider.close();
      await s?.cleanup?.();
    });
    const start = (signal = new AbortController().signal): AsrStream => s.provider.start({ language: s.language, signal });

    it("gives exactly one final after end(), partials before it in audio order", async () => {
      const stream = start();
      const results = collect(stream);
      await pushPaced(stream, s.speech, FRAME, 100, 5);
      stream.end();
      const r = await results;
      checkResultOrder(r);
      const final = r.at(-1)!;
      expect(final.text).toMatch(s.expect);
      expect(final.audioMs).toBeCloseTo((s.speech.length * 1000) / ASR_SAMPLE_RATE, 0);
      if (s.provider.streaming) expect(r.filter((x) => x.kind === "partial").length).toBeGreaterThan(0);
      for (const p of r.filter((x) => x.kind === "partial")) expect(p.audioMs).toBeLessThanOrEqual(final.audioMs);
    });

    it("gives an empty final for silence and for an utterance with no audio", async () => {
      const quiet = start();
      const quietResults = collect(quiet);
      await pushPaced(quiet, new Int16Array(ASR_SAMPLE_RATE * 1.5));
      quiet.end();
      const q = await quietResults;
      checkResultOrder(q);
      expect(q.at(-1)!.text).toBe("");
      const empty = start();
      empty.end();
      const e = await collect(empty);
      expect(e).toHaveLength(1);
      expect(e[0]).toMatchObject({ kind: "final", text: "" });
    });

    it("ends promptly without an error when aborted mid-utterance or while finishing", async () => {
      const ac = new AbortController();
      const stream = start(ac.signal);
      const results = collect(stream);
      await pushPaced(stream, s.speech.subarray(0, s.speech.length >> 1), FRAME, 100, 2);
      const t0 = performance.now();
      ac.abort();
      const r = await results;
      expect(performance.now() - t0).toBeLessThan(300);
      expect(r.some((x) => x.kind === "final")).toBe(false);
      stream.push(s.speech.subarray(0, 1600));
      stream.end();

      const ac2 = new AbortController();
      const late = start(ac2.signal);
      const lateResults = collect(late);
      await pushPaced(late, s.speech);
      late.end();
      ac2.abort();
      const t1 = performance.now();
      const r2 = await lateResults;
      expect(performance.now() - t1).toBeLessThan(300);
      expect(r2.filter((x) => x.kind === "final").length).toBeLessThanOrEqual(1);
    });

    it("transcribes the same with odd frame sizes", async () => {
      const stream = start();
      const results = collect(stream);
      const sizes = [1, 7, 333, 4095, 0, 17, 160, 2];
      let i = 0;
      for (let k = 0; i < s.speech.length; k++) {
        const n = sizes[k % sizes.length]!;
        stream.push(s.speech.subarray(i, i + n));
        i += n;
        if (k % 50 === 0) await sleep(0);
      }
      stream.end();
      stream.end();
      stream.push(s.speech.subarray(0, 1000));
      const r = await results;
      checkResultOrder(r);
      expect(r.at(-1)!.text).toMatch(s.expect);
    });

    it("handles 60 s of audio within its time budget and bounded memory", async () => {
      const gap = new Int16Array(ASR_SAMPLE_RATE / 2);
      const piece = new Int16Array(s.speech.length + gap.length);
      piece.set(s.speech);
      const target = 60 * ASR_SAMPLE_RATE;
      const heap0 = process.memoryUsage().heapUsed;
      const stream = start();
      const results = collect(stream);
      for (let sent = 0; sent < target; sent += piece.length) {
        stream.push(piece.subarray(0, Math.min(piece.length, target - sent)));
        await sleep(0);
      }
      const t0 = performance.now();
      stream.end();
      const r = await results;
      const took = performance.now() - t0;
      checkResultOrder(r);
      expect(r.at(-1)!.text.length).toBeGreaterThan(0);
      expect(took).toBeLessThan(s.longAudioBudgetMs ?? 10_000);
      expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(96 * 2 ** 20);
    });
  });
}
