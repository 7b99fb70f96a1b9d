/**
 * The times of one reply to a person, from the end of their speech (or their
 * typed message's arrival) to its first audio, on this process's clock
 * (performance.now() ms). The stages are consecutive, each from the end of the
 * one before, so they add up to the whole; the first audio's client adds how
 * long it took to reach it and to begin playing (from `firstAudioAt`, on its
 * estimate of this clock).
 */
import type { ReplyLatency } from "@parley/shared";
import type { TurnTiming } from "../voice/PersonVoice.js";

export class LatencyTrace {
  private firstToken = -1;
  private firstClause = -1;

  constructor(private readonly origin: TurnTiming | { typedAt: number }) {}

  /** A typed message: its stages start when it arrived. */
  static typed(now = performance.now()): LatencyTrace { return new LatencyTrace({ typedAt: now }); }

  mark(stage: "firstToken" | "firstClause", now = performance.now()): void {
    if (stage === "firstToken" && this.firstToken < 0) this.firstToken = now;
    if (stage === "firstClause" && this.firstClause < 0) this.firstClause = now;
  }

  /** The stages, with the first audio synthesized at `firstAudioAt`. */
  stages(firstAudioAt = performance.now()): ReplyLatency {
    const o = this.origin;
    const t0 = "typedAt" in o ? o.typedAt : o.speechEndAt;
    const t1 = "typedAt" in o ? t0 : Math.max(t0, o.turnEndAt);
    const t2 = "typedAt" in o ? t1 : Math.max(t1, o.finalAt);
    const t3 = Math.max(t2, this.firstToken < 0 ? firstAudioAt : this.firstToken);
    const t4 = Math.max(t3, this.firstClause < 0 ? t3 : this.firstClause);
    const t5 = Math.max(t4, firstAudioAt);
    const ms = (a: number, b: number): number => Math.round((b - a) * 10) / 10;
    // the page places the stages' ends on its own clock with these (this process's performance clock since the epoch)
    const wall = (t: number): number => Math.round((performance.timeOrigin + t) * 10) / 10;
    return {
      endOfTurnMs: ms(t0, t1), recognitionMs: ms(t1, t2), firstTokenMs: ms(t2, t3), firstClauseMs: ms(t3, t4), firstAudioMs: ms(t4, t5),
      turnEnd: "typedAt" in o ? "typed" : o.by,
      startAt: wall(t0), firstAudioAt: wall(t5), ...("reportedAt" in o ? { reportedAt: wall(o.reportedAt) } : {}),
    };
  }
}
