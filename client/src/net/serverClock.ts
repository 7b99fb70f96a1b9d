/**
 * This page's reckoning of the server's clock, for latency stages that begin on
 * one and end on the other (the end of your speech → the turn judged over; the
 * first audio synthesized → it reaching this page). A few round trips to
 * /api/clock, and one every half minute; the one that took least time wins: the
 * server read its clock within it, so the reckoning is off by at most half that
 * round trip (on one machine or a LAN, about a millisecond). Both clocks are
 * performance.timeOrigin + performance.now(), ms.
 */
import { api } from "./place.js";

/** round trips at the start, and how often one more is made, ms */
const FIRST_SAMPLES = 5;
const RESYNC_MS = 30_000;
/** the best of this many latest round trips counts (clocks drift apart slowly: a few minutes' worth) */
const KEEP = 10;

interface Sample { offsetMs: number; rttMs: number }

const now = (): number => performance.timeOrigin + performance.now();

class ServerClock {
  private samples: Sample[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;

  /** whether a round trip has been made */
  get synced(): boolean { return this.samples.length > 0; }

  private best(): Sample {
    let b: Sample = { offsetMs: 0, rttMs: Infinity };
    for (const s of this.samples) if (s.rttMs < b.rttMs) b = s;
    return b;
  }

  /** the server's clock minus this page's, ms */
  get offsetMs(): number { return this.best().offsetMs; }
  /** the round trip the reckoning rests on: it is off by at most half of it, ms */
  get rttMs(): number { return this.best().rttMs; }

  toServer(pageMs: number): number { return pageMs + this.offsetMs; }
  toPage(serverMs: number): number { return serverMs - this.offsetMs; }

  private async sample(): Promise<void> {
    try {
      const t0 = now();
      const r = await api("/api/clock", { cache: "no-store" });
      const body = (await r.json()) as { now?: unknown };
      const t1 = now();
      if (typeof body.now !== "number" || !Number.isFinite(body.now)) return;
      this.samples.push({ offsetMs: body.now - (t0 + t1) / 2, rttMs: t1 - t0 });
      if (this.samples.length > KEEP) this.samples.shift();
    } catch {
      // a server without the route, or offline for a moment: the stages that need it are left out
    }
  }

  /** Starts reckoning (again): a few round trips now, one more every half minute. */
  start(): void {
    if (this.timer) return;
    void (async () => { for (let i = 0; i < FIRST_SAMPLES; i++) await this.sample(); })();
    this.timer = setInterval(() => void this.sample(), RESYNC_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export const serverClock = new ServerClock();
