/**
 * How far clients really got in each utterance, from their playback reports
 * (they send one every half second and at the end). The furthest client counts:
 * what anyone at the table heard was heard.
 */
export class PlaybackReports {
  private readonly latest = new Map<string, { samples: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.now(), private readonly keep = 200) {}

  report(utteranceId: string, playedSamples: number): void {
    const prev = this.latest.get(utteranceId);
    if (prev && prev.samples >= playedSamples) return;
    this.latest.set(utteranceId, { samples: playedSamples, at: this.now() });
    if (this.latest.size > this.keep) this.latest.delete(this.latest.keys().next().value!);
  }

  /**
   * Samples played by now, extrapolated from the last report (capped by the
   * server's own estimate, which assumes playback began the moment audio left).
   */
  playedBy(utteranceId: string, sampleRate: number, estimate: number): number {
    const r = this.latest.get(utteranceId);
    if (!r) return estimate;
    return Math.min(estimate, r.samples + Math.floor(((this.now() - r.at) * sampleRate) / 1000));
  }
}
