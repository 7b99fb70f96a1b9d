/**
 * Every message a page may send to its table: its zod schema at the edge, and
 * what it asks of the table. Each message type of the protocol is here (the
 * maps are exhaustive over ClientMessage); nothing else decides anything.
 */
import {
  ChatPayload, ClientMessage, MemoryForgetPayload, MemoryGetPayload, NoPayload, NominatePayload, PersonAvatarPayload,
  PersonHeadPayload, PersonMutePayload, PersonRemovePayload, PlaybackPayload, PlayoutGapPayload, RoomSettingsPayload,
  SetNamePayload, SpeechEventPayload, VISEME_FRAME_BYTES,
} from "@parley/shared";
import type { z } from "zod";
import type { Table } from "../table/Table.js";

/** What the table is asked to do with a valid message. */
export type Forward = (table: Table, sessionId: string) => void | Promise<void>;

/** The first thing wrong with a message. */
export interface Flaw { code: string; path: PropertyKey[]; message: string }

export interface Edge {
  /** the table's work for a valid message, or what is wrong with it */
  accept(raw: unknown): { forward: Forward } | { flaw: Flaw | undefined };
  /** the error a malformed message gets instead of zod's own words */
  error?: string;
}

export interface ByteEdge {
  forward(table: Table, sessionId: string, bytes: Uint8Array): void;
  /** what a page that sent something else hears */
  error: string;
  /** whether it counts against a budget of its own (microphone frames count only against the connection's) */
  budget: boolean;
}

function edge<S extends z.ZodType>(schema: S, forward: (table: Table, sessionId: string, message: z.infer<S>) => void | Promise<void>, error?: string): Edge {
  return {
    accept(raw) {
      const r = schema.safeParse(raw);
      if (!r.success) return { flaw: r.error.issues[0] };
      const message = r.data;
      return { forward: (table, sessionId) => forward(table, sessionId, message) };
    },
    ...(error !== undefined ? { error } : {}),
  };
}

const SPEECH_EVENT = "takes no payload but { ptt, silenceMs }";

export const MESSAGES: Record<Exclude<ClientMessage, keyof typeof BYTE_MESSAGES>, Edge> = {
  [ClientMessage.chat]: edge(ChatPayload, (t, who, m) => t.chat(who, m.text)),
  [ClientMessage.stop]: edge(NoPayload, (t, who) => t.stop(who)),
  [ClientMessage.nominate]: edge(NominatePayload, (t, who, m) => t.nominate(who, m.characterId)),
  [ClientMessage.settings]: edge(RoomSettingsPayload, (t, who, m) => t.changeSettings(who, m)),
  [ClientMessage.setName]: edge(SetNamePayload, (t, who, m) => t.rename(who, m.name)),
  // how far this page's playback got: what was heard, if the utterance is cut
  [ClientMessage.playback]: edge(PlaybackPayload, (t, who, m) => t.played(who, m.utteranceId, m.playedSamples)),
  // this page played something later than the table reckoned: its echo comes later too
  [ClientMessage.playoutGap]: edge(PlayoutGapPayload, (t, who, m) => t.playoutGap(who, m)),
  [ClientMessage.memoryGet]: edge(MemoryGetPayload, (t, who, m) => t.showMemory(who, m.characterId)),
  [ClientMessage.memoryForget]: edge(MemoryForgetPayload, (t, who, m) => t.forgetFact(who, m.characterId, m.factId)),
  [ClientMessage.memoryForgetMe]: edge(NoPayload, (t, who) => t.forgetMe(who)),
  [ClientMessage.personMute]: edge(PersonMutePayload, (t, who, m) => t.mute(who, m.sessionId, m.muted)),
  [ClientMessage.personRemove]: edge(PersonRemovePayload, (t, who, m) => t.removePerson(who, m.sessionId)),
  [ClientMessage.personHead]: edge(PersonHeadPayload, (t, who, m) => t.head(who, m)),
  [ClientMessage.personAvatar]: edge(PersonAvatarPayload, (t, who, m) => t.wearAvatar(who, m.avatarUrl)),
  [ClientMessage.speechStart]: edge(SpeechEventPayload, (t, who) => t.speechStart(who), `${ClientMessage.speechStart} ${SPEECH_EVENT}`),
  [ClientMessage.speechEnd]: edge(SpeechEventPayload, (t, who, m) => t.speechEnd(who, m ?? {}), `${ClientMessage.speechEnd} ${SPEECH_EVENT}`),
  [ClientMessage.speechCancel]: edge(SpeechEventPayload, (t, who) => t.speechCancel(who), `${ClientMessage.speechCancel} ${SPEECH_EVENT}`),
};

/** Messages a page sends as bytes. */
export const BYTE_MESSAGES = {
  [ClientMessage.speechAudio]: { forward: (t, who, bytes) => t.speechAudio(who, bytes), error: "speech:audio takes binary 16-bit PCM frames", budget: false },
  [ClientMessage.personVisemes]: { forward: (t, who, bytes) => t.visemes(who, bytes), error: `person:visemes takes ${VISEME_FRAME_BYTES} bytes: one weight 0..255 per viseme`, budget: true },
} as const satisfies Record<string, ByteEdge>;
