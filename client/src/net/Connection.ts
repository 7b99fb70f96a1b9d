/**
 * The client's link to the room: joins with the Colyseus SDK, mirrors state into
 * the UI store, and hands utterance messages to the audio engine.
 */
import { Client, type Room } from "@colyseus/sdk";
import {
  ROOM_NAME, ServerMessage, ClientMessage,
  type RoomStateView, type UttStart, type UttChunk, type UttEnd, type UttCancel, type UttPause, type ErrorPayload, type MemoryPayload, type RoomSettingsPayload, type ForgottenPayload, type VoiceAudio, type VoiceEdge, type PlayoutGapPayload,
} from "@parley/shared";
import { uiStore } from "../state/store.js";
import type { AudioEngine } from "../audio/AudioEngine.js";
import { noteTypedSent } from "../audio/replyLatency.js";
import { peopleMouths } from "../people/peopleMouths.js";
import { currentPlace } from "./place.js";
import { serverClock } from "./serverClock.js";

/** Refusals a retry cannot fix (the invite), as close codes and as words in the error. */
const REFUSED = /invite link|private|removed|asked you to leave/i;
const CLOSE_REMOVED = 4005;

export function serverUrl(): string {
  const configured = import.meta.env.VITE_PARLEY_SERVER as string | undefined;
  const base = configured ?? window.location.origin;
  return base.replace(/^http/, "ws");
}

export class Connection {
  private room: Room | null = null;
  private client: Client;
  private retryMs = 1000;
  private closed = false;

  constructor(private readonly audio: AudioEngine, private readonly name: string, private readonly personId: string, private readonly avatarUrl = "") {
    this.client = new Client(serverUrl());
  }

  async connect(): Promise<void> {
    uiStore.set({ connecting: true, connectionError: "" });
    try {
      const place = currentPlace();
      const options = { name: this.name, personId: this.personId, ...(place.invite ? { invite: place.invite } : {}), ...(this.avatarUrl ? { avatarUrl: this.avatarUrl } : {}) };
      // the default table is found by name; any other by its id (its address)
      const room = place.tableId === "main" ? await this.client.joinOrCreate(ROOM_NAME, options) : await this.client.joinById(place.tableId, options);
      this.room = room;
      this.retryMs = 1000;
      uiStore.set({ connecting: false, roomId: room.roomId, sessionId: room.sessionId });
      // the latency panel's stages that cross between the server and this page need its clock
      serverClock.start();
      // connected once the table's state is here (who sits where, my own role)
      room.onStateChange((state: { toJSON(): unknown }) => uiStore.set({ room: state.toJSON() as RoomStateView, connected: true }));
      room.onMessage(ServerMessage.uttStart, (m: UttStart) => this.audio.onStart(m));
      room.onMessage(ServerMessage.uttChunk, (m: UttChunk) => this.audio.onChunk(m));
      room.onMessage(ServerMessage.uttEnd, (m: UttEnd) => this.audio.onEnd(m));
      room.onMessage(ServerMessage.uttCancel, (m: UttCancel) => this.audio.onCancel(m));
      room.onMessage(ServerMessage.uttPause, (m: UttPause) => this.audio.onPause(m));
      room.onMessage(ServerMessage.error, (m: ErrorPayload) => uiStore.set({ lastError: { ...m, at: Date.now() } }));
      room.onMessage(ServerMessage.personVisemes, (bytes: Uint8Array) => peopleMouths.onFrame(bytes, performance.now()));
      room.onMessage(ServerMessage.memory, (m: MemoryPayload) => uiStore.set({ memory: { ...uiStore.get().memory, [m.characterId]: m } }));
      room.onMessage(ServerMessage.forgotten, (m: ForgottenPayload) => uiStore.set({ forgotten: m, memory: {} }));
      // the other people at the table, heard from their seats
      room.onMessage(ServerMessage.voiceStart, (m: VoiceEdge) => this.audio.peers.start(m.from));
      room.onMessage(ServerMessage.voiceAudio, (m: VoiceAudio) => { if (m.pcm instanceof Uint8Array) this.audio.peers.audio(m); });
      room.onMessage(ServerMessage.voiceEnd, (m: VoiceEdge) => this.audio.peers.end(m.from));
      room.onLeave((code, reason) => {
        this.room = null;
        const removed = code === CLOSE_REMOVED;
        uiStore.set({ connected: false, ...(removed ? { connectionError: reason || "removed", refused: true } : {}) });
        if (!this.closed && !removed) this.scheduleRetry();
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // a wrong or revoked invite: say so and stop knocking
      const refused = REFUSED.test(message);
      uiStore.set({ connecting: false, connected: false, connectionError: message, refused });
      if (!refused) this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 15_000);
  }

  sendChat(text: string): boolean {
    if (!this.room) return false;
    noteTypedSent();
    this.room.send(ClientMessage.chat, { text });
    return true;
  }

  /** Asks whoever is speaking to stop. */
  sendStop(): void {
    this.room?.send(ClientMessage.stop);
  }

  speechStart(ptt: boolean): void { this.room?.send(ClientMessage.speechStart, ptt ? { ptt } : {}); }
  speechAudio(pcm: Uint8Array): void { this.room?.sendBytes(ClientMessage.speechAudio, pcm); }
  speechEnd(end: { ptt: true } | { silenceMs: number; endedAt?: number }): void { this.room?.send(ClientMessage.speechEnd, end); }
  speechCancel(): void { this.room?.send(ClientMessage.speechCancel, {}); }

  nominate(characterId: string): void {
    this.room?.send(ClientMessage.nominate, { characterId });
  }

  changeSettings(patch: RoomSettingsPayload): void {
    this.room?.send(ClientMessage.settings, patch);
  }

  askMemory(characterId: string): void {
    this.room?.send(ClientMessage.memoryGet, { characterId });
  }

  forget(characterId: string, factId?: number): void {
    this.room?.send(ClientMessage.memoryForget, factId === undefined ? { characterId } : { characterId, factId });
  }

  /** where I look, relative to facing the table (rad) */
  sendHead(yaw: number, pitch: number): boolean {
    if (!this.room) return false;
    this.room.send(ClientMessage.personHead, { yaw, pitch });
    return true;
  }
  /** my mouth shapes, one byte per viseme */
  sendVisemes(frame: Uint8Array): void { this.room?.sendBytes(ClientMessage.personVisemes, frame); }
  setAvatar(avatarUrl: string): void { this.room?.send(ClientMessage.personAvatar, { avatarUrl }); }
  /** Forget everything about me: my lines, my name in others' lines, every fact and summary. */
  forgetMe(): void {
    this.room?.send(ClientMessage.memoryForgetMe);
  }

  /** The host mutes or unmutes someone at the table. */
  mutePerson(sessionId: string, muted: boolean): void { this.room?.send(ClientMessage.personMute, { sessionId, muted }); }

  /** The host asks someone to leave the table. */
  removePerson(sessionId: string): void { this.room?.send(ClientMessage.personRemove, { sessionId }); }

  setName(name: string): void {
    this.room?.send(ClientMessage.setName, { name });
  }

  reportPlayback(utteranceId: string, playedSamples: number, done: boolean): void {
    this.room?.send(ClientMessage.playback, { utteranceId, playedSamples, done });
  }

  /** Playout here ran dry and goes on later (a friend's voice, an utterance): the room's echo guard follows. */
  reportGap(gap: PlayoutGapPayload): void {
    if (gap.gapMs > 0) this.room?.send(ClientMessage.playoutGap, { ...gap, gapMs: Math.min(10_000, gap.gapMs) });
  }

  async close(): Promise<void> {
    this.closed = true;
    serverClock.stop();
    await this.room?.leave();
  }
}
