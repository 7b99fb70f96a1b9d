/**
 * Chrome's echo canceller removes from the microphone only what it knows is
 * playing: audio that comes out of a WebRTC connection into a media element.
 * Web Audio played straight to the speakers is invisible to it, so on a laptop
 * without headphones the characters' and friends' voices would come back into
 * the microphone. Here the page's whole output goes through a pair of local
 * RTCPeerConnections (Opus, stereo for the seats' HRTF, no network: host
 * candidates between two objects of this page) into an <audio> element, where
 * the canceller sees it. It costs a little delay (the receiver's jitter buffer,
 * an Opus frame), measured from the receiver's stats and added to the page's
 * playback clock so lips and playback reports stay on what is heard.
 *
 * On only while the microphone is on (no microphone, no echo to cancel); off
 * where it cannot help (not Chromium, no WebRTC) and when the person turns it
 * off (headphones: no echo to cancel, less delay). The server's echo guard
 * stays on either way for browsers that cannot do this.
 */

import { OutputMeter, type OutputMark } from "./outputMeter.js";

const KEY = "parley.speakerEcho";
/** a sound coming out of the loop this long after it went in at most is the same sound, s */
const SAME_ONSET_S = 0.5;
/** the delay is the median of this many latest onsets measured */
const ONSETS_KEPT = 9;
/** give up (and play straight to the speakers) if the local connection is not carrying audio by then, ms */
const CONNECT_TIMEOUT_MS = 5000;
/** an Opus frame and the encoder's look-ahead, added to the measured jitter buffer, s */
const CODEC_DELAY_S = 0.0265;
/** how often the delay is re-measured, ms */
const MEASURE_EVERY_MS = 1000;

export type LoopbackState = "off" | "connecting" | "on" | "failed";

export interface LoopbackView {
  state: LoopbackState;
  /** how much later than the audio clock the speakers play, ms: measured onsets through the loop, else the receiver's stats */
  delayMs: number;
  /** the receiver's own reckoning (jitter buffer and an Opus frame), ms, beside what was measured */
  statsDelayMs: number;
  /** sounds whose way through the loop were timed since it went on */
  measured: number;
  /** the latest of those times, ms */
  recentMs: number[];
  /** sound energy that has come out of the loop into the element (the receiver's totalAudioEnergy) */
  energy: number;
  reason: string;
}

/** Whether the person wants it (stored per browser); default on. */
export function speakerEchoWanted(): boolean {
  try { return localStorage.getItem(KEY) !== "off"; } catch { return true; }
}

export function setSpeakerEchoWanted(on: boolean): void {
  try { localStorage.setItem(KEY, on ? "on" : "off"); } catch { /* private mode: this visit only */ }
}

/** Chromium-based browsers (Chrome, Edge, the Quest browser) cancel echo of WebRTC playout only. */
export function loopbackHelps(): boolean {
  const brands = (navigator as Navigator & { userAgentData?: { brands?: { brand: string }[] } }).userAgentData?.brands ?? [];
  return typeof RTCPeerConnection === "function" && (brands.some((b) => /Chrom/i.test(b.brand)) || /Chrome\//.test(navigator.userAgent));
}

/** Opus as good as a voice table wants: stereo (seats are heard left and right), a high bitrate, no silence suppression. */
function tuneOpus(sdp: string): string {
  const pt = /a=rtpmap:(\d+) opus\/48000/i.exec(sdp)?.[1];
  if (!pt) return sdp;
  return sdp.replace(new RegExp(`a=fmtp:${pt} (.*)`), (_all, params: string) => `a=fmtp:${pt} ${params};stereo=1;sprop-stereo=1;maxaveragebitrate=256000;usedtx=0`);
}

export class AecLoopback {
  private state: LoopbackState = "off";
  private reason = "";
  private pcs: RTCPeerConnection[] = [];
  private element: HTMLAudioElement | null = null;
  private sink: MediaStreamAudioDestinationNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last = { delay: 0, emitted: 0 };
  /** extra output delay through the loop, s (0 when off) */
  delayS = 0;

  /** @param output the page's master bus; @param direct where it plays when the loop is off */
  constructor(private readonly ctx: AudioContext, private readonly output: AudioNode, private readonly direct: AudioNode) {
    output.connect(direct);
  }

  view(): LoopbackView {
    return { state: this.state, delayMs: Math.round(this.delayS * 1000), statsDelayMs: Math.round(this.statsS * 1000), measured: this.timed, recentMs: this.onsetDelays.map((d) => Math.round(d * 1000)), energy: this.energy, reason: this.reason };
  }
  private energy = 0;
  /** the receiver's stats' delay, s */
  private statsS = 0;
  /** onsets into the loop and out of it, on the audio clock, and the latest delays between them, s */
  private inMeter: OutputMeter | null = null;
  private outMeter: OutputMeter | null = null;
  private onsetDelays: number[] = [];
  private timed = 0;

  private wanted = speakerEchoWanted();
  private live = false;

  /** The person's choice (speakers: on; headphones: off). */
  want(on: boolean): Promise<void> { this.wanted = on; return this.apply(); }

  /** The microphone opened or closed. */
  micLive(on: boolean): Promise<void> { this.live = on; return this.apply(); }

  private apply(): Promise<void> { return this.set(this.wanted && this.live, this.wanted); }

  /** Turns the loop on (if it can help here) or off. */
  private async set(on: boolean, wanted: boolean): Promise<void> {
    if (!on || !loopbackHelps()) { this.stop(wanted && !loopbackHelps() ? "this browser's echo canceller does not hear the page through WebRTC" : ""); return; }
    if (this.state === "on" || this.state === "connecting") return;
    this.state = "connecting";
    this.reason = "";
    try {
      await this.connect();
      if (this.state !== "connecting") return;
      // the output moves to the loop only once audio really comes out of it
      this.output.connect(this.sink!);
      this.output.disconnect(this.direct);
      this.state = "on";
      this.timer = setInterval(() => void this.measure(), MEASURE_EVERY_MS);
      await this.measure();
    } catch (err) {
      if (this.state === "connecting") this.stop(err instanceof Error ? err.message : String(err), "failed");
    }
  }

  private async connect(): Promise<void> {
    const sink = this.ctx.createMediaStreamDestination();
    sink.channelCount = 2;
    this.sink = sink;
    const send = new RTCPeerConnection({ iceServers: [] });
    const receive = new RTCPeerConnection({ iceServers: [] });
    this.pcs = [send, receive];
    send.onicecandidate = (e) => { if (e.candidate) void receive.addIceCandidate(e.candidate).catch(() => {}); };
    receive.onicecandidate = (e) => { if (e.candidate) void send.addIceCandidate(e.candidate).catch(() => {}); };
    const track = sink.stream.getAudioTracks()[0];
    if (!track) throw new Error("no audio track from the page's output");
    send.addTrack(track, sink.stream);
    const arrived = new Promise<MediaStreamTrack>((resolve) => { receive.ontrack = (e) => resolve(e.track); });
    const offer = await send.createOffer();
    await send.setLocalDescription({ type: "offer", sdp: tuneOpus(offer.sdp ?? "") });
    await receive.setRemoteDescription(send.localDescription!);
    const answer = await receive.createAnswer();
    await receive.setLocalDescription({ type: "answer", sdp: tuneOpus(answer.sdp ?? "") });
    await send.setRemoteDescription(receive.localDescription!);
    const remote = await withTimeout(arrived, "the local connection carried no track");
    // time sounds through the loop: the same onset going in and coming out, on the audio clock
    this.inMeter = new OutputMeter(this.ctx, this.output, (t) => t, () => this.noteOnset());
    this.outMeter = new OutputMeter(this.ctx, this.ctx.createMediaStreamSource(new MediaStream([remote])), (t) => t, () => this.noteOnset());
    for (const r of receive.getReceivers()) (r as RTCRtpReceiver & { jitterBufferTarget?: number | null }).jitterBufferTarget = 0;
    const el = new Audio();
    el.autoplay = true;
    el.srcObject = new MediaStream([remote]);
    this.element = el;
    await withTimeout(connected(receive), "the local connection did not connect");
    await playWhenAllowed(el);
  }

  /** The receiver's average jitter-buffer delay since the last look, plus the codec's frame. */
  private async measure(): Promise<void> {
    const pc = this.pcs[1];
    if (!pc || this.state !== "on") return;
    const stats = await pc.getStats();
    stats.forEach((s: { type: string; kind?: string; jitterBufferDelay?: number; jitterBufferEmittedCount?: number; totalAudioEnergy?: number }) => {
      if (s.type !== "inbound-rtp" || s.kind !== "audio") return;
      this.energy = s.totalAudioEnergy ?? this.energy;
      if (s.jitterBufferDelay === undefined || !s.jitterBufferEmittedCount) return;
      const d = s.jitterBufferDelay - this.last.delay;
      const n = s.jitterBufferEmittedCount - this.last.emitted;
      this.last = { delay: s.jitterBufferDelay, emitted: s.jitterBufferEmittedCount };
      if (n > 0) this.statsS = d / n + CODEC_DELAY_S;
    });
    if (this.onsetDelays.length === 0) this.delayS = this.statsS;
  }

  /** A sound began going in or coming out: pair the latest onsets, and take the median delay of the last few. */
  private noteOnset(): void {
    const went = lastOnset(this.inMeter?.marks);
    const came = lastOnset(this.outMeter?.marks);
    if (went === null || came === null || this.state !== "on") return;
    const d = came - went;
    if (d <= 0 || d > SAME_ONSET_S) return;
    this.onsetDelays.push(d);
    this.timed++;
    if (this.onsetDelays.length > ONSETS_KEPT) this.onsetDelays.shift();
    this.delayS = [...this.onsetDelays].sort((a, b) => a - b)[Math.floor(this.onsetDelays.length / 2)]!;
    // each pair counts once
    this.inMeter!.marks.length = 0;
    this.outMeter!.marks.length = 0;
  }

  private stop(reason: string, state: LoopbackState = "off"): void {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    if (this.sink) {
      try { this.output.connect(this.direct); } catch { /* already */ }
      try { this.output.disconnect(this.sink); } catch { /* never connected */ }
    }
    for (const pc of this.pcs) pc.close();
    this.pcs = [];
    if (this.element) { this.element.pause(); this.element.srcObject = null; this.element = null; }
    this.sink = null;
    this.inMeter?.close();
    this.outMeter?.close();
    this.inMeter = this.outMeter = null;
    this.onsetDelays = [];
    this.timed = 0;
    this.delayS = 0;
    this.statsS = 0;
    this.energy = 0;
    this.last = { delay: 0, emitted: 0 };
    this.state = state;
    this.reason = reason;
  }
}

function lastOnset(marks: OutputMark[] | undefined): number | null {
  const m = marks?.findLast((x) => x.audible);
  return m ? m.at : null;
}

function connected(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (pc.connectionState === "connected") resolve();
      else if (pc.connectionState === "failed" || pc.connectionState === "closed") reject(new Error(`the local connection ${pc.connectionState}`));
    };
    pc.addEventListener("connectionstatechange", check);
    check();
  });
}

/** Plays the element, or (a browser that wants a gesture before sound) on the person's next click or key. */
async function playWhenAllowed(el: HTMLAudioElement): Promise<void> {
  try {
    await el.play();
  } catch (err) {
    if (!(err instanceof DOMException) || err.name !== "NotAllowedError") throw err;
    await new Promise<void>((resolve) => {
      const go = (): void => { for (const t of GESTURES) window.removeEventListener(t, go, true); resolve(); };
      for (const t of GESTURES) window.addEventListener(t, go, true);
    });
    await el.play();
  }
}
const GESTURES = ["pointerdown", "keydown"] as const;

function withTimeout<T>(p: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), CONNECT_TIMEOUT_MS); })]).finally(() => clearTimeout(timer));
}
