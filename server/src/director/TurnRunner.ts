/**
 * Runs one character's turn: its brain over the shared log, its voice, and the
 * log entry that shows it. A turn may be prepared ahead (its gate closed: text and
 * audio are made but nothing is sent and nothing is shown until the gate opens)
 * or be a cut-in (it sees the interrupted line only as far as it was heard).
 */
import { randomUUID } from "node:crypto";
import type { CharacterConfig, Emotion } from "@parley/shared";
import type { Brain } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import type { ConversationLog, LogEntry } from "./ConversationLog.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import type { VoiceConfig } from "@parley/shared";
import { Turn } from "./Turn.js";
import { speakTurn, type SpeakResult, type UtteranceSink } from "../speech/speakTurn.js";
import { PlaybackControl } from "../speech/PlaybackControl.js";
import type { PlaybackReports } from "../speech/PlaybackReports.js";
import type { Segment } from "../speech/segmentStream.js";
import { errorMessage } from "../util/errors.js";
import { log as logger } from "../util/log.js";
import { tableLanguageOf } from "../i18n/TableCast.js";

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

export interface TurnSpec {
  brain: Brain;
  /** whom the character answers: a person's id, a character's id, or "" for the table */
  addressee: string;
  /** the log as this character sees it (a cut-in sees the cut line as heard so far) */
  history: readonly LogEntry[];
  gate?: Promise<void>;
  onStart?: () => void;
  onFirstAudio?: () => void;
  onTextComplete?: (text: string) => void;
  onSegmentStart?: (index: number, segment: Segment, heardSoFar: string) => void;
  onEmotion?: (emotion: Emotion, intensity: number) => void;
}

export interface RunningTurn {
  turn: Turn;
  /** pause/resume while a person starts speaking */
  playback: PlaybackControl;
  character: CharacterConfig;
  addressee: string;
  /** the transcript line, once the turn has started speaking */
  entry: () => LogEntry | null;
  /** spoken text so far (generated, not necessarily heard) */
  text: () => string;
  result: Promise<SpeakResult>;
}

export function runTurn(env: TurnEnv, spec: TurnSpec): RunningTurn {
  const me = spec.brain.character;
  const turn = new Turn(randomUUID().slice(0, 12), me.id);
  const playback = new PlaybackControl();
  let text = "";
  let entry: LogEntry | null = null;
  const table = env.table();
  const clean = (): string => text.replace(/\s+/g, " ").trimStart();
  async function* reply(): AsyncIterable<string> { yield* spec.brain.reply(table, spec.history, turn.signal); }

  const result = (async (): Promise<SpeakResult> => {
    try {
      const route = await env.voices.route(me.voice, turn.signal);
      if (route.fallbackReason) env.noteOnce?.(`voice:${me.id}`, `${me.name}'s voice is unavailable (${route.fallbackReason}); ${me.name} speaks with the offline voice.`);
      return await speakTurn({
        utteranceId: turn.id, characterId: me.id, addressee: spec.addressee, text: reply(), tts: route.provider, voice: route.voice,
        language: tableLanguageOf(me),
        sink: env.sink, signal: turn.signal, unstreamed: env.unstreamed(), gate: spec.gate, control: playback, reports: env.reports,
        onText: (d) => { text += d; if (entry) env.log.update(entry.id, { text: clean() }); },
        onTextComplete: spec.onTextComplete,
        onStart: () => {
          entry = env.log.add({ kind: "character", speakerId: me.id, speakerName: me.name, text: clean(), addressee: spec.addressee, done: false });
          spec.onStart?.();
        },
        onFirstAudio: spec.onFirstAudio,
        onSegmentStart: spec.onSegmentStart,
        onEmotion: spec.onEmotion,
      });
    } catch (err) {
      // a bug, not a provider failure: the turn ends visibly and the room goes on
      logger.error(`${me.name}'s turn crashed: ${errorMessage(err)}`);
      return { text: clean(), heardText: "", interrupted: false, totalSamples: 0, started: entry !== null, error: err };
    }
  })().then((r) => {
    const error = r.error === undefined ? "" : errorMessage(r.error);
    if (error) logger.warn(`${me.name}'s turn failed: ${error}`);
    // a failure before anything was said still deserves a visible line
    if (!entry && error) entry = env.log.add({ kind: "character", speakerId: me.id, speakerName: me.name, text: "", addressee: spec.addressee, done: false });
    const e = entry as LogEntry | null;
    if (e) env.log.update(e.id, { text: r.text, heardText: r.heardText, interrupted: r.interrupted, error, done: true });
    turn.finish();
    return r;
  });
  return { turn, playback, character: me, addressee: spec.addressee, entry: () => entry, text: clean, result };
}
