/**
 * The server knows every sound it sends to a page: characters' voices and the
 * voices of the other people at the table. When a page's microphone "hears
 * speech" that is only that sound coming back out of its speakers (a browser
 * whose echo canceller did not see it), the speech's spectrum over time follows
 * the sound sent to that page, a little later. This guard keeps, for each page,
 * the energy in forty narrow frequency bands every 10 ms of what it was sent (on the
 * server's clock), and compares a new speech's bands with it over every
 * plausible delay: a close match is echo, not a person.
 */
import { BAND_COUNT, bandEnergies, bandEnergiesAt } from "./echoBands.js";
import { Heard } from "./Heard.js";

export const ECHO_DEFAULTS = {
  /** feature step, ms */
  stepMs: 10,
  /** how much of what a page was sent is kept, ms */
  keepMs: 12_000,
  /** the sound may reach the microphone this much earlier than our clock says (clock skew, pre-roll), ms */
  earliestMs: 600,
  /** and this much later (playback lead, device buffers), ms */
  latestMs: 2500,
  /** correlation at or above this is echo */
  threshold: 0.7,
  /** below this it is speech; in between, too close to tell */
  speechBelow: 0.5,
  /** speech shorter than this is not judged (too little to tell), ms */
  minMs: 150,
};

/** a window whose loudest sample is below this is too quiet to judge */
const QUIET_PEAK = 300;

/** how much of a window's end, quiet, makes it no person's speech, ms */
const QUIET_END_MS = 100;

function endsQuiet(pcm: Int16Array, sampleRate: number): boolean {
  const from = Math.max(0, pcm.length - Math.round((QUIET_END_MS / 1000) * sampleRate));
  for (let i = from; i < pcm.length; i++) if (Math.abs(pcm[i]!) >= QUIET_PEAK) return false;
  return true;
}

/** sounds this close after one another play as one run at a page (a character's next sentence), ms */
const RUN_GAP_MS = 250;

/** sound reaches a page's microphone up to this long after the server reckons it plays (output and input buffers), ms */
const STEADY_MARGIN_MS = 300;

interface Stream {
  rate: number;
  t0: number;
  buf: Int16Array;
  bufStart: number;
  next: number;
  /** the latest feature blocks: where each plays (server clock, before any page's shift) and its first sample */
  recent: { atMs: number; sample: number; feats: Float32Array }[];
}

/** how much of a continuous sound's features are kept to move when a page's playout of it stalls, ms */
const SHIFTABLE_MS = 4000;

export class EchoGuard {
  private readonly heard = new Map<string, Heard>();
  /** when the last sound sent to each page ends playing (server clock), ms */
  private readonly until = new Map<string, number>();
  /** when the unbroken run of sound the page plays now began (server clock), ms */
  private readonly runFrom = new Map<string, number>();
  /** continuous sounds: where their frames have got to, and their latest features (by the sample each block starts at) */
  private readonly streams = new Map<string, Stream>();
  /** per page, per sound: how much later than reckoned that page plays it (its playout stalled), ms */
  private readonly shifts = new Map<string, Map<string, number>>();
  private readonly o: typeof ECHO_DEFAULTS;
  /** how late each page plays what it is sent, from its own playback reports, ms */
  private readonly behind = new Map<string, number>();

  constructor(opts: Partial<typeof ECHO_DEFAULTS> = {}, private readonly now: () => number = () => performance.now()) {
    this.o = { ...ECHO_DEFAULTS, ...opts };
  }

  /** A sound sent to `pages` (session ids) that plays from `atMs` on the server's clock. */
  sent(pages: Iterable<string>, atMs: number, pcm: Int16Array, sampleRate: number): void {
    const feats = bandEnergies(pcm, sampleRate, this.o.stepMs);
    if (feats.length === 0) return;
    const endMs = atMs + (pcm.length * 1000) / sampleRate;
    for (const p of pages) {
      let h = this.heard.get(p);
      if (!h) { h = new Heard(this.o); this.heard.set(p, h); }
      h.add(atMs, feats);
      this.noteRun(p, atMs, endMs);
    }
  }

  /** A sound plays at a page from `atMs` to `endMs`: it goes on the run playing there, or starts a new one. */
  private noteRun(page: string, atMs: number, endMs: number): void {
    const until = this.until.get(page);
    if (until === undefined || atMs > until + RUN_GAP_MS) this.runFrom.set(page, atMs);
    this.until.set(page, Math.max(until ?? 0, endMs));
  }

  /**
   * A piece of a continuous sound (an utterance, a person's speech) sent to
   * `pages`: its sample 0 plays at `t0Ms`, this piece starts at `startSample`.
   * Frames run on across pieces; a piece that does not follow on (a replay
   * after a pause, a new anchor) starts the sound afresh.
   */
  sentStream(stream: string, pages: readonly string[], t0Ms: number, startSample: number, pcm: Int16Array, sampleRate: number): void {
    // sent to nobody (the only person at the table speaking): nothing to note; a page that comes
    // later starts the sound afresh from its next piece
    if (pages.length === 0) { this.streams.delete(stream); return; }
    let st = this.streams.get(stream);
    if (!st || st.rate !== sampleRate || startSample !== st.bufStart + st.buf.length || Math.abs(st.t0 - t0Ms) > 1) {
      st = { rate: sampleRate, t0: t0Ms, buf: new Int16Array(0), bufStart: startSample, next: startSample, recent: [] };
      this.streams.set(stream, st);
      if (this.streams.size > 64) this.forgetStream(this.streams.keys().next().value!);
      // a sound started afresh: every page plays it from its new start
      for (const s of this.shifts.values()) s.delete(stream);
    }
    const buf = new Int16Array(st.buf.length + pcm.length);
    buf.set(st.buf);
    buf.set(pcm, st.buf.length);
    const { feats, next } = bandEnergiesAt(buf, sampleRate, this.o.stepMs, st.next - st.bufStart);
    if (feats.length > 0) {
      const atMs = t0Ms + (st.next / sampleRate) * 1000;
      const endMs = t0Ms + ((st.bufStart + buf.length) / sampleRate) * 1000;
      st.recent.push({ atMs, sample: st.next, feats });
      while (st.recent.length > 1 && st.recent[0]!.atMs < atMs - SHIFTABLE_MS) st.recent.shift();
      for (const p of pages) {
        let h = this.heard.get(p);
        if (!h) { h = new Heard(this.o); this.heard.set(p, h); }
        const shift = this.shifts.get(p)?.get(stream) ?? 0;
        h.add(atMs + shift, feats);
        this.noteRun(p, atMs + shift, endMs + shift);
      }
    }
    // keep from the next frame's start on
    const keepFrom = Math.floor(st.bufStart + next);
    st.buf = buf.slice(keepFrom - st.bufStart);
    st.next = st.bufStart + next;
    st.bufStart = keepFrom;
  }

  private forgetStream(stream: string): void {
    this.streams.delete(stream);
    for (const s of this.shifts.values()) s.delete(stream);
  }

  /**
   * A page's playout of a continuous sound stalled: from `fromSample` on it plays
   * `byMs` later than reckoned. What it was sent from there is moved that much later
   * in its picture, and what comes next goes there too.
   */
  shiftStream(page: string, stream: string, fromSample: number, byMs: number): void {
    const st = this.streams.get(stream);
    const h = this.heard.get(page);
    if (!st || !h || !(byMs > 0)) return;
    let shifts = this.shifts.get(page);
    if (!shifts) { shifts = new Map(); this.shifts.set(page, shifts); }
    const old = shifts.get(stream) ?? 0;
    // a step whose window (two steps long) lies after the stall moves; one across it moves
    // in part, as much of it as lies after (the rest of its sound played before the stall)
    const hop = (st.rate * this.o.stepMs) / 1000;
    const win = 2 * hop;
    const moved: { atMs: number; feats: Float32Array; scale: number }[] = [];
    for (const b of st.recent) {
      const steps = b.feats.length / BAND_COUNT;
      for (let i = Math.max(0, Math.floor((fromSample - win - b.sample) / hop)); i < steps; i++) {
        const p = b.sample + i * hop;
        if (p + win <= fromSample) continue;
        if (p >= fromSample) { moved.push({ atMs: b.atMs + i * this.o.stepMs, feats: b.feats.subarray(i * BAND_COUNT), scale: 1 }); break; }
        moved.push({ atMs: b.atMs + i * this.o.stepMs, feats: b.feats.subarray(i * BAND_COUNT, (i + 1) * BAND_COUNT), scale: (p + win - fromSample) / win });
      }
    }
    for (const m of moved) h.add(m.atMs + old, m.feats, -m.scale);
    // the latest first: what is kept grows once
    for (const m of moved.reverse()) h.add(m.atMs + old + byMs, m.feats, m.scale);
    shifts.set(stream, old + byMs);
    this.until.set(page, (this.until.get(page) ?? 0) + byMs);
  }

  /** Whether anything the page was sent played within the last `withinMs` (else its speech cannot be echo). */
  playedLately(page: string, withinMs = this.o.latestMs): boolean {
    return (this.until.get(page) ?? -Infinity) >= this.now() - withinMs;
  }

  /**
   * Whether the page has played sound without a break for at least `forMs`
   * (plus how late it plays) and still does: the echo of it, if any, fills all
   * of a window of the last `forMs`, so a judgement on that much can be trusted.
   */
  playingSteadily(page: string, forMs: number): boolean {
    const from = this.runFrom.get(page);
    const until = this.until.get(page);
    if (from === undefined || until === undefined) return false;
    const now = this.now();
    return until >= now && from <= now - forMs - STEADY_MARGIN_MS - (this.behind.get(page) ?? 0);
  }

  /** Whether speech from `page` is the echo of what it was sent: 16 kHz audio whose last sample was captured about now. */
  isEcho(page: string, pcm: Int16Array, sampleRate = 16_000): boolean {
    return this.score(page, pcm, sampleRate) >= this.o.threshold;
  }

  /**
   * Echo, speech, or unsure: audio too short or too quiet to tell, or matching
   * what the page was sent too well for a person and too poorly for echo (with
   * nothing sent, anything a page hears is speech). `endMs`: when its last sample was captured.
   */
  judge(page: string, pcm: Int16Array, sampleRate = 16_000, endMs = this.now()): "echo" | "speech" | "unsure" {
    if (!this.heard.has(page)) return "speech";
    const { best, first } = this.scores(page, pcm, sampleRate, endMs);
    if (Number.isNaN(best) || best >= this.o.threshold) return Number.isNaN(best) ? "unsure" : "echo";
    // speech is told on the window as it came (the best of four starts would lift a person's voice
    // over a character toward "unsure"); a person talking is not silent: audio that ends quiet while
    // a sound plays at the page is that sound's echo with a hole in it (a stall not reported yet)
    return first < this.o.speechBelow && !endsQuiet(pcm, sampleRate) ? "speech" : "unsure";
  }

  /** The best correlation found, NaN when the audio is too short or too quiet to tell (for diagnostics and tests). */
  score(page: string, pcm: Int16Array, sampleRate = 16_000, endMs = this.now()): number {
    return this.scores(page, pcm, sampleRate, endMs).best;
  }

  /** The best correlation over the window's four starts, and the one of the window as it came. */
  private scores(page: string, pcm: Int16Array, sampleRate: number, endMs: number): { best: number; first: number } {
    const h = this.heard.get(page);
    if (!h) return { best: 0, first: 0 };
    if ((pcm.length * 1000) / sampleRate < this.o.minMs) return { best: Number.NaN, first: Number.NaN };
    let peak = 0;
    for (const s of pcm) if (Math.abs(s) > peak) peak = Math.abs(s);
    // quiet throughout (about -40 dBFS): nothing to match, and no voice a microphone's gain control would leave this low
    if (peak < QUIET_PEAK) return { best: Number.NaN, first: Number.NaN };
    // what was sent sits on a 10 ms grid whose phase is where its sound began; the microphone's
    // steps fall anywhere between: its window is tried from four starts a quarter step apart, so
    // one lines up within ~1 ms (half a step off, a fast-changing voice matched itself at 0.3)
    let best = -Infinity;
    let first = 0;
    let lag = 0;
    for (let q = 0; q < 4; q++) {
      const part = pcm.subarray(Math.round((q * sampleRate * this.o.stepMs) / 4000));
      const r = h.match(endMs - (part.length * 1000) / sampleRate, bandEnergies(part, sampleRate, this.o.stepMs), this.behind.get(page) ?? 0);
      if (q === 0) first = r;
      if (r > best) { best = r; lag = h.lastLagMs; }
    }
    h.lastLagMs = lag;
    return { best, first };
  }

  /**
   * A page says how far it has got in a sound: it plays `behindMs` later than
   * the server reckoned (a busy page, a slow audio clock). The search for its
   * echo reaches that far back from now on.
   */
  playsLate(page: string, behindMs: number): void {
    if (Number.isFinite(behindMs)) this.behind.set(page, Math.max(0, Math.min(behindMs, this.o.keepMs / 2)));
  }

  /** How much later than it was sent the page's last judged audio best matched, ms (diagnostics). */
  lagOf(page: string): number { return this.heard.get(page)?.lastLagMs ?? 0; }

  forget(page: string): void { this.heard.delete(page); this.until.delete(page); this.runFrom.delete(page); this.behind.delete(page); this.shifts.delete(page); }
}
