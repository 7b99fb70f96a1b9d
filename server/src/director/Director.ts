/**
 * Decides who speaks and runs each turn. This is the foundation's simple director:
 * a person's message interrupts whoever is speaking, and the named (or the
 * least-heard) character answers. The director issue replaces the policy.
 */
import { randomUUID } from "node:crypto";
import type { CharacterConfig, CharacterState, Emotion } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import type { VoiceConfig } from "@parley/shared";
import type { ConversationLog } from "./ConversationLog.js";
import type { Seat } from "../brain/prompt.js";
import { Brain } from "../brain/Brain.js";
import { Turn } from "./Turn.js";
import { pickResponder } from "./pickResponder.js";
import { speakTurn, type UtteranceSink } from "../speech/speakTurn.js";
import { errorMessage } from "../util/errors.js";
import { log as logger } from "../util/log.js";

/** How the director shows characters to the room. */
export interface CharacterPresence {
  setState(id: string, state: CharacterState): void;
  setEmotion(id: string, emotion: Emotion, intensity: number): void;
  setLookAt(id: string, target: string): void;
}

export interface DirectorDeps {
  characters: readonly CharacterConfig[];
  log: ConversationLog;
  llm: LlmHost;
  /** which provider speaks a voice (falling back to the offline voice) */
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  sink: UtteranceSink;
  presence: CharacterPresence;
  /** the people currently at the table */
  people: () => Seat[];
  maxTokens: number;
  historyLines?: number;
  /** read at each turn; false runs the naive unstreamed pipeline (benchmarks only) */
  streaming?: () => boolean;
}

export class Director {
  private readonly brains = new Map<string, Brain>();
  private current: Turn | null = null;
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;
  /** bumps on every person message, so answers queued for older messages are skipped */
  private generation = 0;

  constructor(private readonly d: DirectorDeps) {
    for (const c of d.characters) this.brains.set(c.id, new Brain(c, d.llm, { maxTokens: d.maxTokens, historyLines: d.historyLines ?? 40 }));
  }

  get activeTurn(): Turn | null { return this.current; }

  private table(): Seat[] {
    return [
      ...this.d.people(),
      ...this.d.characters.map((c) => ({ id: c.id, name: c.name, kind: "character" as const, about: c.persona.split(/[.!?]/)[0]?.slice(0, 80) })),
    ];
  }

  /** A person said something: it enters the log, cuts off the current speaker, and someone answers. */
  onPersonMessage(person: { id: string; name: string }, text: string): Promise<void> {
    this.current?.interrupt("person");
    this.d.log.add({ kind: "person", speakerId: person.id, speakerName: person.name, text, addressee: "" });
    const responder = pickResponder(text, this.d.characters, this.d.log.countBySpeaker());
    const gen = ++this.generation;
    this.chain = this.chain.then(() => (responder && !this.disposed && gen === this.generation ? this.runTurn(responder, person.id) : undefined));
    return this.chain;
  }

  /** A person asked the speaker to stop, without saying anything. */
  stop(): void {
    this.generation++;
    this.current?.interrupt("person");
  }

  private async runTurn(characterId: string, addressee: string): Promise<void> {
    const brain = this.brains.get(characterId)!;
    const me = brain.character;
    const turn = new Turn(randomUUID().slice(0, 12), characterId);
    this.current = turn;
    const { presence, log } = this.d;
    for (const c of this.d.characters) {
      presence.setState(c.id, c.id === characterId ? "thinking" : "listening");
      presence.setLookAt(c.id, c.id === characterId ? addressee : characterId);
    }
    const history = log.recent(200);
    const entry = log.add({ kind: "character", speakerId: me.id, speakerName: me.name, text: "", addressee, done: false });
    let text = "";
    const table = this.table();
    async function* reply(): AsyncIterable<string> { yield* brain.reply(table, history, turn.signal); }
    try {
      const route = await this.d.voices.route(me.voice, turn.signal);
      const result = await speakTurn({
        utteranceId: turn.id, characterId, addressee, text: reply(), tts: route.provider, voice: route.voice,
        sink: this.d.sink, signal: turn.signal, unstreamed: this.d.streaming ? !this.d.streaming() : false,
        onText: (delta) => { text += delta; log.update(entry.id, { text: text.replace(/\s+/g, " ").trimStart() }); },
        onEmotion: (emotion, intensity) => presence.setEmotion(characterId, emotion, intensity),
        onFirstAudio: () => presence.setState(characterId, "speaking"),
      });
      const error = result.error === undefined ? "" : errorMessage(result.error);
      if (error) logger.warn(`${me.name}'s turn failed: ${error}`);
      log.update(entry.id, { text: result.text, heardText: result.heardText, interrupted: result.interrupted, error, done: true });
    } catch (err) {
      // a bug, not a provider failure: the turn ends visibly and the room goes on
      logger.error(`${me.name}'s turn crashed: ${errorMessage(err)}`);
      log.update(entry.id, { error: errorMessage(err), done: true });
    } finally {
      turn.finish();
      if (this.current === turn) {
        this.current = null;
        for (const c of this.d.characters) { presence.setState(c.id, "idle"); presence.setLookAt(c.id, ""); }
        presence.setEmotion(characterId, "neutral", 0);
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.current?.interrupt("room closed");
    await this.chain.catch(() => {});
  }
}
