/**
 * friends.mouth_to_ear_ms: a person starts speaking into one Chromium page's
 * microphone (tests/support/acousticLoop.ts feeds it) → their voice starts
 * playing on another page at the same table. Parley relays people's voices
 * through the room (16 kHz PCM after the page's voice detector, a jitter buffer
 * at the listener); the baseline measured in the same run is a direct WebRTC
 * peer connection between the same two pages (Opus, always on, no server), the
 * transport the issue asked us to weigh.
 */
import type { Browser, Page } from "playwright-core";
import { boot } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { say, spoken, withAcousticLoop } from "../support/acousticLoop.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { round, summary, type Section } from "./stats.js";
import { speakerFigures, speakerLoopDelay, speakerNotes } from "./speakers.js";

const PHRASE = "Hello there, can you hear me?";
/** quiet after each phrase: the detector ends the speech and the listener's voice stops, ms */
const BETWEEN_MS = 2200;

async function open(browser: Browser, url: string, name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 480, height: 320 } });
  // no echo in this loop: only the person's voice reaches the microphone
  await withAcousticLoop(page, { delayS: 0.15, echoGain: 0 });
  await page.addInitScript((n) => localStorage.setItem("parley.name", n), name);
  await page.goto(`${url}/?quality=low&avatars=off`);
  return page;
}

/** The relay: onset at the speaker's microphone → the listener's jitter buffer starts playing it. */
async function relay(speaker: Page, listener: Page, speech: { samples: number[]; rate: number }, runs: number): Promise<number[]> {
  const from = (await readDebug(speaker)).sessionId;
  const origin = await listener.evaluate(() => performance.timeOrigin);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = (await readDebug(listener)).audio.peerOnsets.filter((o) => o.from === from).length;
    const startedAt = await say(speaker, speech);
    const d = await waitForDebug(listener, (v) => v.audio.peerOnsets.filter((o) => o.from === from).length > before, 5000, "the voice at the listener");
    const onset = d.audio.peerOnsets.filter((o) => o.from === from)[before]!;
    out.push(origin + onset.at - startedAt);
    await new Promise((r) => setTimeout(r, BETWEEN_MS));
  }
  return out;
}

/** The baseline: the same microphone over a WebRTC peer connection; onset = the listener's analyser hears it. */
async function webrtc(speaker: Page, listener: Page, speech: { samples: number[]; rate: number }, runs: number): Promise<number[]> {
  type Signal = { sdp?: RTCSessionDescriptionInit; ice?: RTCIceCandidateInit[] };
  type W = { rtc: RTCPeerConnection; rtcIce: RTCIceCandidateInit[]; rtcOnsets: number[] };
  // the listener: answers, plays what arrives and notes when sound starts
  await listener.evaluate(() => {
    const w = window as unknown as W;
    w.rtc = new RTCPeerConnection({ iceServers: [] });
    w.rtcIce = [];
    w.rtcOnsets = [];
    w.rtc.onicecandidate = (e) => { if (e.candidate) w.rtcIce.push(e.candidate.toJSON()); };
    w.rtc.ontrack = (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      // Chromium plays a remote track into Web Audio only while a media element holds it
      const el = new Audio();
      el.srcObject = stream;
      el.muted = true;
      void el.play();
      const ctx = new AudioContext();
      const an = ctx.createAnalyser();
      an.fftSize = 256;
      ctx.createMediaStreamSource(stream).connect(an);
      const buf = new Float32Array(an.fftSize);
      let loud = false;
      let quietSince = 0;
      setInterval(() => {
        an.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const x of buf) sum += x * x;
        const rms = Math.sqrt(sum / buf.length);
        const now = performance.timeOrigin + performance.now();
        if (!loud && rms > 0.01) { loud = true; w.rtcOnsets.push(now); }
        if (loud && rms < 0.003) { if (!quietSince) quietSince = now; else if (now - quietSince > 800) { loud = false; quietSince = 0; } } else quietSince = 0;
      }, 2);
    };
  });
  const offer = await speaker.evaluate(async () => {
    const w = window as unknown as W;
    w.rtc = new RTCPeerConnection({ iceServers: [] });
    w.rtcIce = [];
    w.rtc.onicecandidate = (e) => { if (e.candidate) w.rtcIce.push(e.candidate.toJSON()); };
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const t of mic.getAudioTracks()) w.rtc.addTrack(t, mic);
    await w.rtc.setLocalDescription(await w.rtc.createOffer());
    return w.rtc.localDescription!.toJSON() as RTCSessionDescriptionInit;
  });
  const answer = await listener.evaluate(async (sdp) => {
    const w = window as unknown as W;
    await w.rtc.setRemoteDescription(sdp);
    await w.rtc.setLocalDescription(await w.rtc.createAnswer());
    return w.rtc.localDescription!.toJSON() as RTCSessionDescriptionInit;
  }, offer);
  await speaker.evaluate(async (sdp) => { await (window as unknown as W).rtc.setRemoteDescription(sdp); }, answer);
  // trickle the candidates both ways until connected
  const t0 = Date.now();
  for (;;) {
    const [a, b] = await Promise.all([speaker, listener].map((p) => p.evaluate(() => { const w = window as unknown as W; const s: Signal = { ice: w.rtcIce.splice(0) }; return { ...s, state: w.rtc.connectionState }; })));
    for (const c of a!.ice ?? []) await listener.evaluate(async (x) => { await (window as unknown as W).rtc.addIceCandidate(x); }, c);
    for (const c of b!.ice ?? []) await speaker.evaluate(async (x) => { await (window as unknown as W).rtc.addIceCandidate(x); }, c);
    if (a!.state === "connected" && b!.state === "connected") break;
    if (a!.state === "failed" || Date.now() - t0 > 15_000) throw new Error(`the peer connection did not connect (${a!.state}/${b!.state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = await listener.evaluate(() => (window as unknown as W).rtcOnsets.length);
    const startedAt = await say(speaker, speech);
    const t1 = Date.now();
    let onset: number | undefined;
    while (onset === undefined && Date.now() - t1 < 5000) {
      onset = await listener.evaluate((n) => (window as unknown as W).rtcOnsets[n], before);
      if (onset === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    if (onset !== undefined) out.push(onset - startedAt);
    await new Promise((r) => setTimeout(r, BETWEEN_MS));
  }
  return out;
}

export async function benchFriends(runs: number): Promise<Section> {
  ensureClientBuilt();
  const n = Math.max(20, runs);
  // the recognizer hears nothing worth answering: only the people talk
  const app = await boot({}, { asr: new FakeAsr({ script: [""], msPerWord: 100 }) });
  // WebRTC between two pages of one browser, offline: host candidates with their real addresses
  const browser = await launchChromium(["--disable-features=WebRtcHideLocalIpsWithMdns"]);
  const skipped: Record<string, string> = {};
  const figures: Record<string, unknown> = {};
  try {
    const speaker = await open(browser, app.parley.url, "Alice");
    const listener = await open(browser, app.parley.url, "Bob");
    for (const p of [speaker, listener]) await waitForDebug(p, (d) => d.connected && Object.keys(d.people).length === 2, 30_000, "both at the table");
    await speaker.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(speaker, (d) => d.voice.mic === "on", 20_000, "the microphone on");
    const speech = await spoken(PHRASE);
    const viaRoom = await relay(speaker, listener, speech, n);
    figures["friends.mouth_to_ear_ms"] = summary(viaRoom);
    const peers = (await readDebug(listener)).audio.peers;
    const buffer = Object.values(peers)[0];
    if (buffer) figures["friends.jitter_buffer_ms"] = buffer.bufferMs;
    // the microphone off: the baseline sends the same loop without the room hearing it
    await speaker.getByRole("button", { name: /^Mic on/ }).click().catch(() => {});
    try {
      const direct = await webrtc(speaker, listener, speech, n);
      const d = summary(direct);
      figures["friends.mouth_to_ear_webrtc_ms"] = d;
      figures["friends.relay_vs_webrtc_ratio"] = round(summary(viaRoom).p50 / d.p50, 2);
    } catch (err) {
      skipped["friends.mouth_to_ear_webrtc_ms"] = err instanceof Error ? err.message : String(err);
    }
    await browser.close();
    Object.assign(figures, speakerFigures(await speakerLoopDelay(app.parley.url, 12)));
    return {
      figures,
      skipped,
      notes: [
        "friends.mouth_to_ear_ms: onset = the person's speech starts at the speaker page's microphone (a Web Audio loop the bench feeds, no acoustic delay); ear = the listener page schedules that voice to play. Includes the speaker page's voice detector (Silero, speech after ~0.1-0.2 s; its 192 ms pre-roll goes with the onset), the room relay and the listener's jitter buffer.",
        "friends.mouth_to_ear_webrtc_ms: the same microphone over an RTCPeerConnection between the two pages (Opus, no server, always sending); ear = the listener's analyser first hears it (polled every 2 ms).",
        "friends.*: both pages have the echo-cancelling loop off (headphones); with it on, the listener hears a friend speakers.loop_delay_ms later.",
        ...speakerNotes,
      ],
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}
