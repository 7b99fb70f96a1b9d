/**
 * A laptop without headphones, in a test page: everything the page plays comes
 * back into its microphone a little later and quieter, with a faint room noise,
 * and the "person" speaks into that same microphone when the test says so. No
 * echo canceller sees this loop (the worst case a browser can be: the page's
 * echo-cancelling WebRTC loop is turned off, as in a browser where it cannot help), so whatever
 * keeps echo from becoming speech at the table is the server's echo guard.
 *
 * It works from an init script: the first audio context that connects to its
 * speakers is the page's output; getUserMedia answers with the loop's stream.
 */
import type { Page } from "playwright-core";
import { EspeakTts } from "../../server/src/tts/EspeakTts.js";

export interface LoopOptions {
  /** from the speakers back into the microphone, s */
  delayS: number;
  /** how loud the echo is (1: as played) */
  echoGain: number;
}

/** Runs in the page before its own scripts. */
function installLoop(o: LoopOptions): void {
  // the page's echo-cancelling loop off: this models a browser whose canceller cannot see the output
  try { localStorage.setItem("parley.speakerEcho", "off"); } catch { /* no storage: the loop below still hears the page */ }
  type LoopCtx = AudioContext & { loopIn?: GainNode; loopMix?: GainNode; loopOut?: MediaStreamAudioDestinationNode };
  const w = window as unknown as { parleyLoop?: LoopCtx; parleySay?: (samples: number[], rate: number) => Promise<number> };
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  const setUp = (ctx: LoopCtx): void => {
    if (ctx.loopIn) return;
    const loopIn = ctx.createGain();
    loopIn.gain.value = o.echoGain;
    const delay = ctx.createDelay(2);
    delay.delayTime.value = o.delayS;
    const mix = ctx.createGain();
    const out = ctx.createMediaStreamDestination();
    connect.call(loopIn, delay);
    connect.call(delay, mix);
    connect.call(mix, out);
    // a faint room: the microphone is never digitally silent
    const noise = ctx.createBuffer(1, ctx.sampleRate, ctx.sampleRate);
    const d = noise.getChannelData(0);
    for (let i = 0; i < d.length; i++) d[i] = (Math.random() * 2 - 1) * 0.002;
    const src = ctx.createBufferSource();
    src.buffer = noise;
    src.loop = true;
    connect.call(src, mix);
    src.start();
    Object.assign(ctx, { loopIn, loopMix: mix, loopOut: out });
    w.parleyLoop ??= ctx;
  };
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const dest = args[0];
    if (dest instanceof AudioDestinationNode) {
      const ctx = dest.context as LoopCtx;
      setUp(ctx);
      if (ctx === w.parleyLoop) connect.call(this, ctx.loopIn);
    }
    return connect.apply(this, args);
  } as typeof AudioNode.prototype.connect;
  const media = navigator.mediaDevices;
  media.getUserMedia = async (c?: MediaStreamConstraints): Promise<MediaStream> => {
    if (!c?.audio) throw new DOMException("only a microphone here", "NotFoundError");
    const t0 = Date.now();
    while (!w.parleyLoop?.loopOut) {
      if (Date.now() - t0 > 10_000) throw new DOMException("the page never played anything", "NotReadableError");
      await new Promise((r) => setTimeout(r, 50));
    }
    // a fresh stream each time (the page stops its tracks when the microphone goes off)
    return new MediaStream(w.parleyLoop.loopOut.stream.getAudioTracks().map((t) => t.clone()));
  };
  // resolves when the person is done, with when they began (epoch ms)
  w.parleySay = (samples, rate) => new Promise((resolve) => {
    const ctx = w.parleyLoop!;
    const buf = ctx.createBuffer(1, samples.length, rate);
    buf.getChannelData(0).set(samples.map((s) => s / 32768));
    const src = ctx.createBufferSource();
    src.buffer = buf;
    connect.call(src, ctx.loopMix);
    const startedAt = performance.timeOrigin + performance.now();
    src.onended = () => resolve(startedAt);
    src.start();
  });
}

/** Puts the loop into a page (before it loads). */
export async function withAcousticLoop(page: Page, o: LoopOptions = { delayS: 0.15, echoGain: 0.6 }): Promise<void> {
  // run under tsx (the benchmarks), esbuild keeps function names by wrapping them in a `__name` helper the page does not have
  await page.addInitScript({ content: "globalThis.__name ??= (f) => f;" });
  await page.addInitScript(installLoop, o);
}

/** Speech in the offline voice, as 16-bit samples and their rate. */
export async function spoken(text: string): Promise<{ samples: number[]; rate: number }> {
  const tts = new EspeakTts();
  await tts.init();
  const parts: Int16Array[] = [];
  const voice = { provider: "espeak" as const, voice: "en-us", speed: 1, pitch: 45 };
  try {
    for await (const p of tts.synthesize(text, voice, new AbortController().signal)) parts.push(p.pcm);
  } finally {
    await tts.close();
  }
  const samples: number[] = [];
  for (const p of parts) for (const s of p) samples.push(s);
  return { samples, rate: tts.sampleRate(voice) };
}

/** The person at this page says it into the microphone; resolves when they are done, with when they began (epoch ms). */
export function say(page: Page, speech: { samples: number[]; rate: number }): Promise<number> {
  return page.evaluate(({ samples, rate }) => (window as unknown as { parleySay: (s: number[], r: number) => Promise<number> }).parleySay(samples, rate), speech);
}
