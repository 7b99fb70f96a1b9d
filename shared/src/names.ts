/** Names shared by server and client. VRM preset names are used verbatim. */

export const Viseme = { aa: "aa", ih: "ih", ou: "ou", ee: "ee", oh: "oh" } as const;
export type Viseme = (typeof Viseme)[keyof typeof Viseme];
export const VISEMES: readonly Viseme[] = Object.values(Viseme);

export const Emotion = {
  happy: "happy", angry: "angry", sad: "sad", relaxed: "relaxed", surprised: "surprised", neutral: "neutral",
} as const;
export type Emotion = (typeof Emotion)[keyof typeof Emotion];
export const EMOTIONS: readonly Emotion[] = Object.values(Emotion);
export const isEmotion = (s: string): s is Emotion => (EMOTIONS as readonly string[]).includes(s);

export const CharacterState = { idle: "idle", thinking: "thinking", speaking: "speaking", listening: "listening" } as const;
export type CharacterState = (typeof CharacterState)[keyof typeof CharacterState];

/** Messages a client sends to the room. */
export const ClientMessage = {
  chat: "chat",
  stop: "stop",
  playback: "playback",
  setName: "setName",
  /** a person picks who speaks next (clicking an avatar) */
  nominate: "nominate",
  settings: "settings",
  /** microphone: speech began / ended / was a false start; audio frames travel as bytes */
  speechStart: "speech:start",
  speechEnd: "speech:end",
  speechCancel: "speech:cancel",
  speechAudio: "speech:audio",
  memoryGet: "memory:get",
  memoryForget: "memory:forget",
  /** people at the table: where I look, my mouth shapes (bytes), my avatar */
  personHead: "person:head",
  personVisemes: "person:visemes",
  personAvatar: "person:avatar",
  /** forget everything about me: my lines, my name in others' lines, facts and summaries */
  memoryForgetMe: "memory:forgetMe",
  /** the host mutes or unmutes a person at the table */
  personMute: "person:mute",
  /** the host asks a person to leave the table */
  personRemove: "person:remove",
  /** this page's playout (a friend's voice, a character's utterance) stalled and went on later: its echo comes that much later */
  playoutGap: "playout:gap",
} as const;
export type ClientMessage = (typeof ClientMessage)[keyof typeof ClientMessage];

/** Messages the room sends to clients. Audio and cues are messages, never room state. */
export const ServerMessage = {
  uttStart: "utt:start",
  uttChunk: "utt:chunk",
  uttEnd: "utt:end",
  uttCancel: "utt:cancel",
  uttPause: "utt:pause",
  error: "error",
  memory: "memory",
  /** another person's mouth shapes, relayed (bytes: seat, then one weight per viseme) */
  personVisemes: "person:visemes",
  /** the answer to memory:forgetMe: what was removed */
  forgotten: "memory:forgotten",
  /** another person at the table began to speak / a frame of their voice / they stopped */
  voiceStart: "voice:start",
  voiceAudio: "voice:audio",
  voiceEnd: "voice:end",
} as const;
export type ServerMessage = (typeof ServerMessage)[keyof typeof ServerMessage];

export const ErrorCode = {
  badMessage: "bad_message",
  tooLong: "too_long",
  tooFast: "too_fast",
  unknownMessage: "unknown_message",
  llmUnavailable: "llm_unavailable",
  llmFailed: "llm_failed",
  ttsFailed: "tts_failed",
  noSpeakingRights: "no_speaking_rights",
  asrFailed: "asr_failed",
  /** only the table's host may do that */
  forbidden: "forbidden",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const LineKind = { person: "person", character: "character", system: "system" } as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export const ROOM_NAME = "parley";

/** How the director picks a speaker when nobody in particular is addressed. */
export const POLICY_NAMES = ["natural", "pooled", "list", "llm", "manual"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
