/**
 * Runs one character's turn on its handle, one way down: its brain's reply over
 * the shared log (or a fixed line), spoken by its voice (speech/speakTurn) to
 * the wire. What the stages report comes back through the handle only: here it
 * keeps the transcript line that shows the turn, and the director listens on
 * the same handle. A held turn makes its text and audio but shows and sends
 * nothing until the director authorizes it; a cut-in sees the interrupted line
 * only as far as it was heard. The handle settles with the outcome when the
 * audio has played out or the turn was stopped.
 */
import type { VoiceConfig } from "@parley/shared";
import type { Brain } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import type { ConversationLog, LogEntry } from "../conversation/ConversationLog.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { speakTurn, type UtteranceSink } from "../speech/speakTurn.js";
import type { PlaybackReports } from "../speech/PlaybackReports.js";
import type { TurnEvent, TurnHandle, TurnOutcome } from "../turn/TurnHandle.js";
import { errorMessage, isAbortError } from "../util/errors.js";
import { tableLanguageOf } from "../i18n/liveCharacter.js";
import { log as logger } from "../util/log.js";

export interface TurnEnv {
  log: ConversationLog;
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  sink: UtteranceSink;
  table: () => Seat[];
  unstreamed: () => boolean;
  reports?: PlaybackReports;
  /** a system line in the transcript, at most once per key */
  noteOnce?: (key: string, text: string) => void;
}

export interface TurnScript {
  brain: Brain;
  /**
   * The log as this character sees it (a cut-in sees the cut line as heard so
   * far); a function is called when the reply starts, after lines cut off just
   * before have settled to what was heard.
   */
  history: readonly LogEntry[] | (() => Promise<readonly LogEntry[]>);
  /** a fixed line to say instead of asking the brain (a greeting, a goodbye) */
  say?: string;
}

const tidy = (text: string): string => text.replace(/\s+/g, " ").trimStart();

/** The turn's transcript line: shown when the turn starts, growing with its text, finished with its outcome. */
class TurnLine {
  private entry: LogEntry | null = null;

  constructor(private readonly log: ConversationLog, private readonly turn: TurnHandle, private readonly me: Brain["character"]) {}

  follow(e: TurnEvent): void {
    switch (e.kind) {
      case "started":
        this.entry = this.log.add({ kind: "character", speakerId: this.me.id, speakerName: this.me.name, text: tidy(this.turn.text), addressee: this.turn.addressee, done: false });
        this.turn.lineId = this.entry.id;
        return;
      case "text":
        if (this.entry) this.log.update(this.entry.id, { text: tidy(this.turn.text) });
        return;
      case "written": case "segment": case "emotion": case "audible":
        return;
    }
  }

  get shown(): boolean { return this.entry !== null; }

  finish(r: TurnOutcome): void {
    const error = r.error === undefined ? "" : errorMessage(r.error);
    if (error) logger.warn(`${this.me.name}'s turn failed: ${error}`);
    // a failure before anything was said still deserves a visible line
    if (!this.entry && error) this.entry = this.log.add({ kind: "character", speakerId: this.me.id, speakerName: this.me.name, text: "", addressee: this.turn.addressee, done: false });
    if (this.entry) this.log.update(this.entry.id, { text: r.text, heardText: r.heardText, interrupted: r.interrupted, error, done: true });
  }
}

export function runTurn(env: TurnEnv, turn: TurnHandle, script: TurnScript): void {
  const me = script.brain.character;
  const table = env.table();
  const line = new TurnLine(env.log, turn, me);
  turn.on((e) => line.follow(e));
  async function* reply(): AsyncIterable<string> {
    if (script.say !== undefined) { yield script.say; return; }
    const history = typeof script.history === "function" ? await script.history() : script.history;
    if (turn.interrupted) return;
    yield* script.brain.reply(table, history, turn.signal);
  }

  const run = async (): Promise<TurnOutcome> => {
    try {
      const route = await env.voices.route(me.voice, turn.signal);
      if (route.fallbackReason) env.noteOnce?.(`voice:${me.id}`, `${me.name}'s voice is unavailable (${route.fallbackReason}); ${me.name} speaks with the offline voice.`);
      return await speakTurn({ turn, text: reply(), tts: route.provider, voice: route.voice, language: tableLanguageOf(me), sink: env.sink, unstreamed: env.unstreamed(), reports: env.reports });
    } catch (err) {
      // interrupted while its voice was still being prepared: nothing was said
      if (turn.interrupted && isAbortError(err)) return { text: "", heardText: "", interrupted: true, totalSamples: 0, started: false };
      // a bug, not a provider failure: the turn ends visibly and the room goes on
      logger.error(`${me.name}'s turn crashed: ${errorMessage(err)}`);
      return { text: tidy(turn.text), heardText: "", interrupted: false, totalSamples: 0, started: line.shown, error: err };
    }
  };

  void run().then((r) => {
    try {
      line.finish(r);
    } catch (err) {
      logger.error(`${me.name}'s turn could not be recorded: ${errorMessage(err)}`);
    } finally {
      // the director learns the end whatever happened, so the table never waits forever
      turn.settle(r);
    }
  });
}
