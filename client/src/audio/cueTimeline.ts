/**
 * An utterance's cues on its own sample timeline, appended chunk by chunk and
 * looked up by playback position (binary search, no allocation).
 */
import type { VisemeWeights, Emotion } from "@parley/shared";

export interface TimedWeights { s: number; w: VisemeWeights }
export interface TimedEmotion { s: number; emotion: Emotion; intensity: number }

export class CueTimeline {
  readonly visemes: TimedWeights[] = [];
  readonly emotions: TimedEmotion[] = [];

  addVisemes(chunkStart: number, cues: readonly { t: number; w: VisemeWeights }[]): void {
    for (const c of cues) this.visemes.push({ s: chunkStart + c.t, w: c.w });
  }

  addEmotions(chunkStart: number, cues: readonly { t: number; emotion: Emotion; intensity: number }[]): void {
    for (const c of cues) this.emotions.push({ s: chunkStart + c.t, emotion: c.emotion, intensity: c.intensity });
  }

  /** Drops cues from sample `s` on (they come again if the utterance resumes). */
  truncate(s: number): void {
    while (this.visemes.length && this.visemes[this.visemes.length - 1]!.s >= s) this.visemes.pop();
    while (this.emotions.length && this.emotions[this.emotions.length - 1]!.s >= s) this.emotions.pop();
  }

  /** index of the last cue at or before `s`, or -1 */
  indexAt(s: number): number {
    const v = this.visemes;
    let lo = 0;
    let hi = v.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid]!.s <= s) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  /** the emotion cue in force at `s`, if any */
  emotionAt(s: number): TimedEmotion | null {
    let found: TimedEmotion | null = null;
    for (const e of this.emotions) {
      if (e.s <= s) found = e;
      else break;
    }
    return found;
  }
}
