/**
 * Runs one character's turn on its handle: its brain over the shared log, its
 * voice, and the transcript line that shows it. A held turn makes its text and
 * audio but shows and sends nothing until the director authorizes it; a cut-in
 * sees the interrupted line only as far as it was heard. The handle settles with
 * the outcome when the audio has played out or the turn was stopped.
 */
import type { Emotion, VoiceConfig } from "@parley/shared";
import type { Brain } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import type { ConversationLog, LogEntry } from "../conversation/ConversationLog.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { speakTurn, type UtteranceSink } from "../speech/speakTurn.js";
import type { PlaybackReports } from "../speech/PlaybackReports.js";
import type { Segment } from "../speech/segmentStream.js";
import type { TurnHandle, TurnOutcome } from "../turn/TurnHandle.js";
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
  onStart?: () => void;
  onFirstAudio?: () => void;
  onTextComplete?: (text: string) => void;
  onSegmentStart?: (index: number, segment: Segment, heardSoFar: string) => void;
  onEmotion?: (emotion: Emotion, intensity: number) => void;
}

const tidy = (text: string): string => text.replace(/\s+/g, " ").trimStart();

export function runTurn(env: TurnEnv, turn: TurnHandle, script: TurnScript): void {
  const me = script.brain.character;
  const table = env.table();
  let entry: LogEntry | null = null;
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
      return await speakTurn({
        turn, text: reply(), tts: route.provider, voice: route.voice, language: tableLanguageOf(me), sink: env.sink, unstreamed: env.unstreamed(), reports: env.reports,
        onText: (d) => { turn.text += d; if (entry) env.log.update(entry.id, { text: tidy(turn.text) }); },
        onTextComplete: script.onTextComplete,
        onStart: () => {
          entry = env.log.add({ kind: "character", speakerId: me.id, speakerName: me.name, text: tidy(turn.text), addressee: turn.addressee, done: false });
          turn.lineId = entry.id;
          script.onStart?.();
        },
        onFirstAudio: () => { turn.audible = true; script.onFirstAudio?.(); },
        onSegmentStart: script.onSegmentStart,
        onEmotion: script.onEmotion,
      });
    } catch (err) {
      // interrupted while its voice was still being prepared: nothing was said
      if (turn.interrupted && isAbortError(err)) return { text: "", heardText: "", interrupted: true, totalSamples: 0, started: false };
      // a bug, not a provider failure: the turn ends visibly and the room goes on
      logger.error(`${me.name}'s turn crashed: ${errorMessage(err)}`);
      return { text: tidy(turn.text), heardText: "", interrupted: false, totalSamples: 0, started: entry !== null, error: err };
    }
  };

  const finish = (r: TurnOutcome): void => {
    const error = r.error === undefined ? "" : errorMessage(r.error);
    if (error) logger.warn(`${me.name}'s turn failed: ${error}`);
    // a failure before anything was said still deserves a visible line
    if (!entry && error) entry = env.log.add({ kind: "character", speakerId: me.id, speakerName: me.name, text: "", addressee: turn.addressee, done: false });
    const e = entry as LogEntry | null;
    if (e) env.log.update(e.id, { text: r.text, heardText: r.heardText, interrupted: r.interrupted, error, done: true });
  };
  void run().then((r) => {
    try {
      finish(r);
    } catch (err) {
      logger.error(`${me.name}'s turn could not be recorded: ${errorMessage(err)}`);
    } finally {
      // the director learns the end whatever happened, so the table never waits forever
      turn.settle(r);
    }
  });
}
