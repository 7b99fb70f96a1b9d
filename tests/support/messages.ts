/** Records every message a room client receives, with arrival times, and waits for conditions. */
import type { Room } from "@colyseus/sdk";

export interface Received { type: string; payload: unknown; at: number }

export class MessageLog {
  readonly all: Received[] = [];
  private waiters: { pred: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];

  constructor(room: Room) {
    room.onMessage("*", (type, payload) => {
      const r = { type: String(type), payload, at: performance.now() };
      this.all.push(r);
      this.waiters = this.waiters.filter((w) => (w.pred(r) ? (w.resolve(r), false) : true));
    });
  }

  of<T>(type: string): T[] {
    return this.all.filter((r) => r.type === type).map((r) => r.payload as T);
  }

  /** Resolves with the first message (already received or future) matching `pred`. */
  waitFor(pred: (r: Received) => boolean, timeoutMs = 15_000, what = "message"): Promise<Received> {
    const seen = this.all.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (r) => { clearTimeout(t); resolve(r); } });
    });
  }

  waitForType(type: string, timeoutMs?: number): Promise<Received> {
    return this.waitFor((r) => r.type === type, timeoutMs, type);
  }
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const t0 = performance.now();
  while (!(await cond())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The room state as plain JSON, typed like the client sees it. */
export function view(room: Room): import("../../shared/src/index.js").RoomStateView {
  return (room.state as { toJSON(): unknown }).toJSON() as import("../../shared/src/index.js").RoomStateView;
}
