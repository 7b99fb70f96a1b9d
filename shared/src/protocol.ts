/**
 * The wire protocol. Client -> server payloads are validated with zod at the
 * room's boundary; server -> client payloads are typed here and produced only by
 * the server.
 */
import { z } from "zod";
import { POLICY_NAMES } from "./names.js";
import { LANGUAGES } from "./language.js";
import type { Emotion, Viseme, ErrorCode, CharacterState, LineKind, PolicyName } from "./names.js";

export const LIMITS = {
  /** characters in one chat message */
  chatMaxChars: 2000,
  /** characters in a display name */
  nameMaxChars: 40,
  /** chat messages per client per window */
  chatBurst: 5,
  chatWindowMs: 10_000,
  /** largest message the room reads; a larger one gets a "too long" error, bytes */
  maxMessageBytes: 64 * 1024,
  /** largest websocket frame at all; past this the socket closes (code 1009), bytes */
  maxPayloadBytes: 1024 * 1024,
} as const;

/** Half of a UTF-16 pair without its other half: it would corrupt every client's state decoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Strips control characters (keeps newline and tab) and lone surrogates, so text is safe to log, store and show. */
export function cleanText(s: string): string {
  return s
    .replace(LONE_SURROGATE, "")
    .replace(/[\u2028\u2029]/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, "")
    .trim();
}

/**
 * A name is one visible line: no line breaks, no control, format or bidi
 * characters (zero-width ones included), spaces collapsed; it must show at
 * least one letter, digit or symbol.
 */
export function cleanName(s: string): string {
  return s.normalize("NFC").replace(LONE_SURROGATE, "").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "").replace(/\s+/gu, " ").trim();
}

const NameSchema = z.string().max(LIMITS.nameMaxChars * 4)
  .refine((n) => !/[\n\r\v\f\u0085\u2028\u2029]/u.test(n), "a name is one line")
  .transform(cleanName)
  .pipe(z.string().max(LIMITS.nameMaxChars, `a name has at most ${LIMITS.nameMaxChars} characters`)
    .refine((n) => /[\p{L}\p{N}\p{S}]/u.test(n), "a name needs a visible letter or digit")
    // "Name:" starts a line in a character's prompt; a name must not be able to fake one
    .refine((n) => !/[:：]/u.test(n), "a name cannot contain a colon"));

export const ChatPayload = z.object({
  text: z.string().max(LIMITS.chatMaxChars * 4, `message is longer than ${LIMITS.chatMaxChars} characters`).transform(cleanText).pipe(z.string().min(1, "message is empty").max(LIMITS.chatMaxChars, `message is longer than ${LIMITS.chatMaxChars} characters`)),
}).strict();
export type ChatPayload = z.infer<typeof ChatPayload>;

export const SetNamePayload = z.object({ name: NameSchema }).strict();

/** How far this client's playback of an utterance got (samples of the utterance heard). */
export const PlaybackPayload = z.object({
  utteranceId: z.string().max(64),
  playedSamples: z.number().int().nonnegative().max(48_000 * 3600),
  done: z.boolean().optional(),
}).strict();
export type PlaybackPayload = z.infer<typeof PlaybackPayload>;

/**
 * A page's playout ran dry and went on `gapMs` later than it would have: of
 * another person's relayed voice from frame `seq` on, or of a character's
 * utterance from sample `atSample` on. The server moves its picture of what
 * that page plays (for its echo) by as much.
 */
const gapMs = z.number().positive().max(10_000);
export const PlayoutGapPayload = z.union([
  z.object({ from: z.string().min(1).max(64), seq: z.number().int().nonnegative().max(2 ** 40), gapMs }).strict(),
  z.object({ utteranceId: z.string().min(1).max(64), atSample: z.number().int().nonnegative().max(48_000 * 3600), gapMs }).strict(),
]);
export type PlayoutGapPayload = z.infer<typeof PlayoutGapPayload>;

export const JoinOptions = z.object({
  // a name that is not one visible line is dropped: the person joins as a guest
  name: NameSchema.optional().catch(undefined),
  /** a stable id the browser keeps, so characters remember the person across visits */
  personId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
}).passthrough();

/** A speech event from a client's microphone (the audio itself travels as bytes). */
export const SpeechEventPayload = z.union([z.undefined(), z.null(), z.object({
  ptt: z.boolean().optional(),
  /** with speech:end: the silence the client's detector waited since the last speech, ms */
  silenceMs: z.number().min(0).max(10_000).optional(),
  /** with speech:end: when the speech's last sound was captured, on the server's clock as the page reckons it (ms since the epoch; /api/clock), for the latency panel */
  endedAt: z.number().finite().optional(),
}).strict()]);

export const NominatePayload = z.object({ characterId: z.string().max(64) }).strict();

/** The room's conversation settings; a client sends any subset to change them. */
export const RoomSettingsPayload = z.object({
  policy: z.enum(POLICY_NAMES),
  /** characters answer each other without waiting for a person */
  everyoneTalks: z.boolean(),
  /** 0 = polite, 1 = heated: how readily characters cut each other off */
  interruptSensitivity: z.number().min(0).max(1),
  /** prepare the likely next speaker's reply while the current one talks */
  speculation: z.boolean(),
  /** character turns in a row without a person, at most */
  maxAutoTurns: z.number().int().min(1).max(50),
  /** the table's language: what characters answer in, their voices, the recognizer, memories */
  language: z.enum(LANGUAGES),
}).partial().strict();
export type RoomSettingsPayload = z.infer<typeof RoomSettingsPayload>;
export type RoomSettings = Required<RoomSettingsPayload>;
export const DEFAULT_ROOM_SETTINGS: RoomSettings = { policy: "natural", everyoneTalks: false, interruptSensitivity: 0.3, speculation: true, maxAutoTurns: 8, language: "en" };

export const MemoryGetPayload = z.object({ characterId: z.string().max(64) }).strict();
export const MemoryForgetPayload = z.object({ characterId: z.string().max(64), factId: z.number().int().positive().optional() }).strict();
export const PersonMutePayload = z.object({ sessionId: z.string().max(64), muted: z.boolean() }).strict();
export const PersonRemovePayload = z.object({ sessionId: z.string().max(64) }).strict();

/** "Forget everything about me": takes no payload. */
export const NoPayload = z.union([z.undefined(), z.null(), z.object({}).strict()]);

/** What "forget everything about me" removed. */
export interface ForgottenPayload { lines: number; redacted: number; facts: number; summaries: number }

export interface MemoryFactView { id: number; text: string; at: number }
export interface MemoryPayload { characterId: string; facts: MemoryFactView[]; summaries: { text: string; at: number }[] }

/** Mouth shape targets at one moment; a missing viseme means 0. An empty map closes the mouth. */
export type VisemeWeights = Partial<Record<Viseme, number>>;

export interface VisemeCue {
  /** position in samples from the start of the chunk */
  t: number;
  w: VisemeWeights;
}

export interface EmotionCue {
  /** position in samples from the start of the chunk */
  t: number;
  emotion: Emotion;
  /** 0..1 */
  intensity: number;
}

export interface UttStart {
  utteranceId: string;
  characterId: string;
  sampleRate: number;
  /** who the line is addressed to: a person's session id, a character id, or "" for the table */
  addressee: string;
  /** for a reply to a person: how long each stage took on the server (the client adds its playback) */
  latency?: ReplyLatency;
}

/**
 * A reply's stages one after another, ms: from the end of the person's speech to
 * the turn judged over, to the final words, to the first token, to the first
 * clause, to its first audio synthesized. Typed messages start at their arrival.
 */
export interface ReplyLatency {
  endOfTurnMs: number;
  recognitionMs: number;
  firstTokenMs: number;
  firstClauseMs: number;
  firstAudioMs: number;
  /** what ended the turn: the end-of-turn model, the silence thresholds, push-to-talk released, or a typed message */
  turnEnd: "model" | "silence" | "released" | "typed";
  /** on the server's clock (ms since the epoch, as /api/clock tells it): where the stages begin (the speech's end, or the typed message's arrival) */
  startAt: number;
  /** the end of speech was reported (absent for a typed message) */
  reportedAt?: number;
  /** the first audio was synthesized and utt:start sent: where the page's delivery stage begins */
  firstAudioAt: number;
}

export interface UttChunk {
  utteranceId: string;
  seq: number;
  sampleRate: number;
  /** position of this chunk's first sample within the utterance */
  startSample: number;
  /** mono 16-bit little-endian PCM */
  pcm: Uint8Array;
  cues: VisemeCue[];
  emotions: EmotionCue[];
  /** the text this chunk's segment speaks, on the segment's first chunk */
  text?: string;
}

export interface UttEnd {
  utteranceId: string;
  text: string;
  totalSamples: number;
}

/** A person started speaking: stop playing this utterance at `atSample`; it may resume from there. */
export interface UttPause {
  utteranceId: string;
  atSample: number;
}

/** A person's voice relayed to the others at the table: 16 kHz mono 16-bit PCM, in order. */
export interface VoiceAudio { from: string; seq: number; pcm: Uint8Array }
export interface VoiceEdge { from: string }

export interface UttCancel {
  utteranceId: string;
  reason: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

/** The JSON shape of the room state, as clients see it. */
export interface CharacterView {
  id: string;
  name: string;
  state: CharacterState;
  emotion: Emotion;
  seat: number;
  avatarUrl: string;
  color: string;
  /** id of whom the character looks at / speaks to ("" = the table) */
  lookAt: string;
}
export interface PersonView { sessionId: string; name: string; seat: number; speaking: boolean; role: "host" | "guest"; muted: boolean; avatarUrl: string; head: { yaw: number; pitch: number } }
export interface LineView {
  id: string;
  kind: LineKind;
  speakerId: string;
  speakerName: string;
  text: string;
  heardText: string;
  interrupted: boolean;
  error: string;
  done: boolean;
}
export interface LlmView {
  ready: boolean; provider: string; model: string; error: string; demo: boolean; progress: number;
  /** why this model was chosen for this machine, and how to choose another ("" when the user named one) */
  choice: string;
  /** its speed as measured here on the first start (tokens/s, first token, first clause) */
  measured: string;
}
export interface ModelView { id: string; kind: string; name: string; progress: number; ready: boolean; error: string; optional: boolean }
export interface RoomStateView {
  tableId: string;
  tableName: string;
  models: Record<string, ModelView>;
  characters: Record<string, CharacterView>;
  people: Record<string, PersonView>;
  transcript: LineView[];
  llm: LlmView;
  settings: RoomSettings & { policy: PolicyName };
}
