/**
 * One table: its record, language, cast, conversation log, director, memory,
 * people, their voices in and every sound out, and the state its pages see.
 * It is built here, in one place, and lives as long as the server holds it:
 * a Colyseus room is only its door (attach), which validates what pages send
 * and forwards it to the methods below. A table opened in this process
 * (`open`) restores its history and runs; one whose room lives in another
 * process is only read and edited (its cast, its voices) through the registry.
 * Built with fakes, it talks in a unit test without Colyseus.
 */
import {
  DEFAULT_ROOM_SETTINGS, ErrorCode, type CharacterConfig, type Language, type PlayoutGapPayload,
  type RoomSettings, type RoomSettingsPayload,
} from "@parley/shared";
import { ConversationLog, type LogEntry } from "../conversation/ConversationLog.js";
import { Director } from "../director/Director.js";
import { MemoryWriter } from "../memory/MemoryWriter.js";
import { PlaybackReports } from "../speech/PlaybackReports.js";
import { LatencyTrace } from "../turn/LatencyTrace.js";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { TableVoices } from "./TableVoices.js";
import { TableAsr } from "./TableAsr.js";
import type { SpeechEnd } from "../voice/PersonVoice.js";
import type { AsrProvider } from "../asr/types.js";
import type { Role } from "../access/Access.js";
import { DEFAULT_TABLE, type TableRecord } from "../store/Store.js";
import { Renewable } from "../util/Renewable.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";
import { Cast } from "./Cast.js";
import { RoomState } from "./state.js";
import { Doorway, type TableDoor } from "./TableDoor.js";
import { TableAudio } from "./TableAudio.js";
import { People } from "./People.js";
import { PeopleVoices } from "./PeopleVoices.js";
import { TableMemory } from "./TableMemory.js";
import { mirrorLlm, mirrorLog, mirrorModels, TRANSCRIPT_LINES } from "./mirror.js";
import { showCast } from "./showCast.js";
import type { TableServices } from "./TableServices.js";

/** an empty table keeps its model sequences this long before giving them back, ms */
const TABLE_IDLE_MS = 60_000;
/** how long a closing table gives its characters to write their memories, ms */
const LAST_MEMORIES_MS = 30_000;
/** the close code a person removed by the host sees */
export const CLOSE_REMOVED = 4005;

/** A table's language and what follows from it: the cast in that language and its voices. */
export interface TableLocale {
  language: TableLanguage;
  cast: Cast;
  voices: TableVoices;
}

/** What the table keeps in its record when it changes (the registry stores it). */
export interface TableRecordKeeper {
  saveCast(ids: string[]): Promise<void>;
  /** the table's settings (and language) for its next opening */
  saveSettings(settings: Partial<RoomSettings>): Promise<void>;
}

export class Table {
  readonly id: string;
  readonly locale: TableLocale;
  readonly cast: Cast;
  readonly asr: AsrProvider | null;
  readonly log = new ConversationLog();
  readonly state = new RoomState();
  readonly director: Director;
  private readonly doorway: Doorway;
  /** preloads and memory writing: a person acting interrupts it */
  private readonly background = new Renewable();
  private readonly memoryWriter: MemoryWriter;
  private readonly people: People;
  private readonly voicesIn: PeopleVoices;
  private readonly audio: TableAudio;
  private readonly reports = new PlaybackReports();
  private readonly memory: TableMemory;
  private readonly unsubscribe: (() => void)[] = [];
  /** finished lines are saved in order, one at a time */
  private saving: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(public record: TableRecord, characters: readonly CharacterConfig[], private readonly s: TableServices, private readonly keeper: TableRecordKeeper) {
    this.id = record.id;
    this.doorway = new Doorway(record.id);
    const language = new TableLanguage(record.language);
    this.cast = new Cast(characters, language, s.library, (ids) => keeper.saveCast(ids));
    this.locale = { language, cast: this.cast, voices: new TableVoices(s.voices, this.cast, s.voiceDefaults) };
    this.asr = s.recognizer ? new TableAsr(language, s.recognizer) : null;
    this.audio = new TableAudio(this.doorway);
    this.people = new People({
      state: this.state, avatars: s.personAvatars, cast: this.cast, store: s.store, door: this.doorway,
      language: () => language.get(), tableName: () => this.record.name,
    });
    this.memoryWriter = new MemoryWriter(s.store, s.llm, this.cast.list, (id) => this.people.person(id), s.memoryOptions, this.background);
    this.director = new Director({
      cast: this.cast,
      background: this.background,
      log: this.log,
      llm: s.llm,
      voices: this.locale.voices.forTurns,
      llmKeyPrefix: `${this.id}/`,
      maxTokens: s.maxTokens,
      memory: this.memoryWriter,
      reports: this.reports,
      settings: () => this.settings(),
      streaming: () => s.settings.streaming,
      timing: s.directorTiming,
      people: () => this.people.seats(),
      sink: this.audio.sink,
      onCharacterLeft: (id) => this.cast.left(id),
      presence: this.people.gaze.wrap({
        setState: (id, st) => { const c = this.state.characters.get(id); if (c) c.state = st; },
        setEmotion: (id, e) => { const c = this.state.characters.get(id); if (c) c.emotion = e; },
        setLookAt: (id, target) => { const c = this.state.characters.get(id); if (c) c.lookAt = target; },
      }),
    });
    this.voicesIn = new PeopleVoices({
      director: this.director,
      log: this.log,
      asr: this.asr,
      turnModel: s.turnModel ?? null,
      options: s.voiceOptions,
      personName: (id) => this.people.nameOf(id),
      setSpeaking: (id, speaking) => this.people.speaking(id, speaking),
      fail: (id, code, message) => this.doorway.fail(id, code, message),
      mayTalk: (id) => this.people.mayTalk(id),
      echo: this.audio.echo,
      onEcho: (sessionId) => s.onEcho?.(this.id, sessionId),
      relay: this.audio.relay,
    });
    this.memory = new TableMemory({
      store: s.store, table: this.id, conversation: this.log, writer: this.memoryWriter,
      hasCharacter: (id) => this.state.characters.has(id),
      person: (id) => this.people.person(id),
      sessionsOf: (personId) => this.people.sessionsOf(personId),
      send: (id, type, message) => this.doorway.send(id, type, message),
      fail: (id, message) => this.doorway.fail(id, ErrorCode.badMessage, message),
    });
  }

  get language(): Language { return this.locale.language.get(); }

  /** Whether the table runs in this process. */
  get isOpen(): boolean { return this.opening !== null; }

  /** Opens the table in this process (once): its history comes back and its cast takes its places. */
  open(): Promise<void> {
    this.opening ??= this.start().catch((err: unknown) => { this.opening = null; throw err; });
    return this.opening;
  }

  private async start(): Promise<void> {
    const s = this.s;
    const lines = await s.store.recentLines(this.id, TRANSCRIPT_LINES);
    Object.assign(this.state.settings, DEFAULT_ROOM_SETTINGS, this.record.settings);
    this.state.tableId = this.id;
    this.state.tableName = this.record.name;
    this.unsubscribe.push(showCast({ state: this.state, cast: this.cast, director: this.director, avatars: s.avatars, people: () => this.people.places() }));
    this.unsubscribe.push(this.locale.language.follow((language) => { this.state.settings.language = language; }));
    const note = (text: string): void => { this.log.add({ kind: "system", speakerId: "", speakerName: "Parley", text, addressee: "" }); };
    this.locale.voices.on("note", note);
    this.unsubscribe.push(() => this.locale.voices.off("note", note));
    this.unsubscribe.push(mirrorLlm(this.state, s.llm), mirrorLog(this.state, this.log), mirrorModels(this.state, s.models));
    this.log.restore(lines);
    if (s.store.notice && this.id === DEFAULT_TABLE) note(s.store.notice);
    const persist = (e: LogEntry): void => {
      if (!e.done || e.kind === "system") return;
      const personId = this.people.person(e.speakerId)?.personId ?? null;
      const line = { ...e };
      this.saving = this.saving.then(() => s.store.saveLine(this.id, line, personId)).catch((err: unknown) => log.error(`a line was not saved: ${errorMessage(err)}`));
    };
    this.log.on("add", persist);
    this.log.on("update", persist);
    this.unsubscribe.push(() => { this.log.off("add", persist); this.log.off("update", persist); }, this.memoryWriter.watch(this.log));
  }

  /**
   * Opens the table to its door (its room); returns the door's close. A second
   * door while one is open is refused (TableBusy), so a duplicate room cannot
   * reach the table; closing a door that is not the open one does nothing.
   */
  attach(door: TableDoor): () => void {
    const close = this.doorway.open(door);
    return () => {
      if (!this.doorway.holds(door)) return;
      for (const id of [...this.state.people.keys()]) this.leave(id);
      close();
    };
  }

  private settings(): RoomSettings {
    const st = this.state.settings;
    return { policy: st.policy as RoomSettings["policy"], everyoneTalks: st.everyoneTalks, interruptSensitivity: st.interruptSensitivity, speculation: st.speculation, maxAutoTurns: st.maxAutoTurns, language: this.language };
  }

  /** false (after telling them) when `sessionId` is not the table's host */
  private byHost(sessionId: string, what: string): boolean {
    if (this.people.isHost(sessionId)) return true;
    this.doorway.fail(sessionId, ErrorCode.forbidden, `Only the table's host can ${what}.`);
    return false;
  }

  // ---- people come and go ----

  /** Keeps a place for someone let in; false when the table is full. */
  reserve(): boolean { return this.people.reserve(); }

  async join(sessionId: string, role: Role, options: unknown): Promise<void> {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = null; }
    await this.people.join(sessionId, role, options);
  }

  leave(sessionId: string): void {
    this.voicesIn.leave(sessionId);
    this.audio.forget(sessionId);
    this.people.leave(sessionId);
    if (this.people.count > 0) return;
    // the person's lines keep their name for the memory writer until it has run
    void this.memoryWriter.writeNow();
    // an empty table gives its model sequences back for other tables, after a while
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => { this.idleTimer = null; this.s.llm.release(`${this.id}/`); }, TABLE_IDLE_MS);
  }

  // ---- what people send (validated at the door) ----

  chat(sessionId: string, text: string): void {
    if (this.people.mayTalk(sessionId)) this.director.onPersonMessage({ id: sessionId, name: this.people.nameOf(sessionId) }, text, { trace: LatencyTrace.typed() });
  }

  stop(_sessionId: string): void { this.director.stop(); }

  nominate(sessionId: string, characterId: string): void {
    if (!this.state.characters.has(characterId)) { this.doorway.fail(sessionId, ErrorCode.badMessage, `no character "${characterId.slice(0, 40)}" here`); return; }
    if (this.people.mayTalk(sessionId)) this.director.nominate(characterId, sessionId);
  }

  async changeSettings(sessionId: string, settings: RoomSettingsPayload): Promise<void> {
    if (!this.byHost(sessionId, "change the table's settings")) return;
    Object.assign(this.state.settings, settings);
    if (settings.language) this.locale.language.set(settings.language);
    await this.keeper.saveSettings(settings);
  }

  rename(sessionId: string, name: string): Promise<void> { return this.people.rename(sessionId, name); }

  /** How far this page's playback got: what was heard, if the utterance is cut, and how late it plays. */
  played(sessionId: string, utteranceId: string, playedSamples: number): void {
    this.reports.report(utteranceId, playedSamples);
    this.audio.played(sessionId, utteranceId, playedSamples);
  }

  /** This page played something later than the table reckoned: its echo comes later too. */
  playoutGap(sessionId: string, gap: PlayoutGapPayload): void { this.audio.gap(sessionId, gap); }

  showMemory(sessionId: string, characterId: string): Promise<void> { return this.memory.show(sessionId, characterId); }
  forgetFact(sessionId: string, characterId: string, factId?: number): Promise<void> { return this.memory.forget(sessionId, characterId, factId); }
  forgetMe(sessionId: string): Promise<void> { return this.memory.forgetMe(sessionId); }

  mute(sessionId: string, target: string, muted: boolean): void {
    if (!this.byHost(sessionId, "mute people") || !this.people.mute(target, muted)) return;
    // a muted person's speech in flight ends unheard, and what it paused goes on
    if (muted) this.voicesIn.leave(target);
  }

  removePerson(sessionId: string, target: string): void {
    if (!this.byHost(sessionId, "ask people to leave")) return;
    if (target === sessionId || !this.doorway.sessions().includes(target)) return;
    this.doorway.dismiss(target, CLOSE_REMOVED, "The host asked you to leave this table.");
  }

  speechStart(sessionId: string): void { this.voicesIn.start(sessionId); }
  speechAudio(sessionId: string, bytes: Uint8Array): void { this.voicesIn.audio(sessionId, bytes); }
  speechEnd(sessionId: string, end: SpeechEnd): void { this.voicesIn.end(sessionId, end); }
  speechCancel(sessionId: string): void { this.voicesIn.cancel(sessionId); }

  head(sessionId: string, pose: { yaw: number; pitch: number }): void { this.people.head(sessionId, pose); }
  visemes(sessionId: string, bytes: Uint8Array): void { this.people.visemes(sessionId, bytes); }
  wearAvatar(sessionId: string, avatarUrl: string): Promise<void> { return this.people.wear(sessionId, avatarUrl); }

  /** Speech held back as echo so far, by person (diagnostics, tests). */
  echoes(sessionId: string): number { return this.voicesIn.echoes(sessionId); }

  /** The table ends (the server stops): speech stops, memories get a last chance, lines are saved. */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  private async shut(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.voicesIn.close();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.director.dispose();
    // the table is ending: memories get a last chance, on a signal of their own
    await this.memoryWriter.writeNow(AbortSignal.timeout(LAST_MEMORIES_MS));
    await this.memoryWriter.close();
    await this.saving;
    this.s.llm.release(`${this.id}/`);
  }
}
