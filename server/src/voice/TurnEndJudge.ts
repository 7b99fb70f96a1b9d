/**
 * When is a person done? The browser reports the end of speech after a short
 * silence and says how long it was; this decides how much longer to wait for
 * them to go on:
 * - with the end-of-turn model: it hears the turn's last 8 s; a complete
 *   sentence ends the turn now, an unfinished one gets until `incompleteMs` of
 *   silence;
 * - without it (absent, downloading, failed): the old thresholds, `silenceMs` of
 *   silence in all, then PersonVoice's wait after words that trail off.
 * Every deadline counts from the end of the speech, so the model's own time is
 * part of the wait, not added to it, and a model that has not answered when
 * `silenceMs` have passed leaves the decision to the silence. And the model starts early: once the
 * audio has been quiet for `speculateAfterMs` it hears the turn so far, and if
 * nothing loud follows before the browser reports the end, that verdict stands
 * (it heard the same speech, with a little less of the silence after it); an
 * early "not yet" is asked again with all the silence.
 */
import type { EndOfTurnModel } from "./EndOfTurnModel.js";
import type { TurnAudio } from "./TurnAudio.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export const TURN_END_DEFAULTS = {
  /** silence that ends a turn when no model decides (the old browser setting), ms */
  silenceMs: 500,
  /** the model hears an unfinished sentence: answer anyway after this much silence, ms */
  incompleteMs: 1200,
  /** probabilities at or above this are a finished turn */
  threshold: 0.5,
  /** quiet audio for this long starts the model before the end is reported, ms */
  speculateAfterMs: 96,
  /** a frame this much quieter than the turn's loudest is quiet (ratio of RMS) */
  quietRatio: 0.1,
};

/** quieter than this (RMS, full scale 32768) the turn has not started to sound yet */
const MIN_SPEECH_RMS = 300;

export interface TurnVerdict {
  /** "model": the model decided; "silence": the thresholds did; "released": push-to-talk let go */
  by: "model" | "silence" | "released";
  /** wait until this time (performance.now() ms) for more speech before the turn is over */
  until: number;
  probability?: number;
}

export class TurnEndJudge {
  private readonly o: typeof TURN_END_DEFAULTS;
  /** the turn's loudest frame so far (RMS, full scale 32768) */
  private loudest = 0;
  /** quiet audio since the last loud frame, ms */
  private quietMs = 0;
  /** the model's verdict on the turn up to the current quiet stretch, if it was started */
  private early: Promise<number> | null = null;
  /** the model call in flight (one at a time: its worker runs them in turn, and a stale one must not queue others) */
  private busy: Promise<unknown> | null = null;

  constructor(private readonly model: EndOfTurnModel | null, opts: Partial<typeof TURN_END_DEFAULTS> = {}) {
    this.o = { ...TURN_END_DEFAULTS, ...opts };
  }

  /** A new turn begins. */
  reset(): void {
    this.loudest = 0;
    this.quietMs = 0;
    this.early = null;
  }

  /** One frame of the turn, already in `audio`: a quiet stretch long enough starts the model early. */
  hear(pcm: Int16Array, audio: TurnAudio): void {
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) sum += pcm[i]! * pcm[i]!;
    const rms = Math.sqrt(sum / Math.max(1, pcm.length));
    if (rms > this.loudest) this.loudest = rms;
    if (rms > this.loudest * this.o.quietRatio) {
      // speech again: whatever the model heard early is out of date
      this.quietMs = 0;
      this.early = null;
      return;
    }
    this.quietMs += (pcm.length * 1000) / 16000;
    // nothing loud yet (the pre-roll before the first word): nothing to judge
    if (this.loudest < MIN_SPEECH_RMS || this.early || this.busy || this.quietMs < this.o.speculateAfterMs || !this.model?.ready) return;
    this.early = this.ask(audio.samples());
  }

  private ask(pcm: Int16Array): Promise<number> {
    const p = this.model!.completion(pcm);
    const done = p.catch(() => {}).then(() => { if (this.busy === done) this.busy = null; });
    this.busy = done;
    p.catch(() => {});
    return p;
  }

  /**
   * @param audio the turn so far, 16 kHz (the last 8 s count)
   * @param speechEndAt when the speech ended (performance.now() ms): the report's arrival minus its silence
   */
  async judge(audio: Int16Array, speechEndAt: number): Promise<TurnVerdict> {
    const bySilence: TurnVerdict = { by: "silence", until: speechEndAt + this.o.silenceMs };
    if (!this.model?.ready) return bySilence;
    // a model slower than the old threshold (a crowded CPU) leaves the decision to the silence:
    // with it a turn never ends later than without it
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((r) => { timer = setTimeout(() => r(null), Math.max(0, bySilence.until - performance.now())); });
    const v = await Promise.race([this.askModel(audio, speechEndAt), late]);
    clearTimeout(timer);
    if (!v) log.trace(() => `end of turn: the model had not answered ${this.o.silenceMs} ms after the speech ended; silence decides`);
    return v ?? bySilence;
  }

  private async askModel(audio: Int16Array, speechEndAt: number): Promise<TurnVerdict | null> {
    try {
      // an early "finished" stands; an early "not yet" is asked again with all the silence heard since
      const t0 = performance.now();
      const early = this.early !== null;
      let p = this.early ? await this.early : -1;
      if (p < this.o.threshold) {
        // a call that went stale (speech came back) finishes first
        await this.busy;
        p = await this.ask(audio);
      }
      log.trace(() => `end of turn: p=${p.toFixed(2)} ${early ? "(heard early)" : ""} in ${(performance.now() - t0).toFixed(0)} ms after the report`);
      return { by: "model", probability: p, until: p >= this.o.threshold ? speechEndAt : speechEndAt + this.o.incompleteMs };
    } catch (err) {
      log.errorOnce("turn model", `the end-of-turn model failed, silence decides: ${errorMessage(err)}`);
      return null;
    }
  }
}
