/**
 * What characters remember, per person: ask (memory:get), forget a fact or all a
 * character knows (memory:forget), and forget me everywhere (memory:forgetMe:
 * my lines, my name in others' lines, every fact and summary, in the store and
 * in the live table).
 */
import { ServerMessage, type ForgottenPayload, type MemoryPayload } from "@parley/shared";
import type { Store } from "../store/Store.js";
import type { ConversationLog } from "../conversation/ConversationLog.js";
import type { MemoryWriter, PersonRef } from "../memory/MemoryWriter.js";
import { redactNames } from "../store/redact.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export interface TableMemoryDeps {
  store: Store;
  table: string;
  conversation: ConversationLog;
  writer: MemoryWriter;
  hasCharacter: (id: string) => boolean;
  /** the person behind a session */
  person: (sessionId: string) => PersonRef | undefined;
  /** every session of that person at this table (they may have two tabs open) */
  sessionsOf: (personId: string) => string[];
  send: (sessionId: string, type: string, message: unknown) => void;
  fail: (sessionId: string, message: string) => void;
}

/** How a forgotten person's name reads afterwards. */
export const FORGOTTEN_NAME = "someone";

export class TableMemory {
  constructor(private readonly d: TableMemoryDeps) {}

  /** What `characterId` remembers about the asking person. */
  async show(sessionId: string, characterId: string): Promise<void> {
    const ref = this.d.person(sessionId);
    if (!ref || !this.d.hasCharacter(characterId)) { this.d.fail(sessionId, "unknown character"); return; }
    const [facts, summaries] = await Promise.all([this.d.store.facts(characterId, ref.personId), this.d.store.summaries(characterId, 10, ref.personId)]);
    const payload: MemoryPayload = { characterId, facts, summaries: summaries.map(({ text, at }) => ({ text, at })) };
    this.d.send(sessionId, ServerMessage.memory, payload);
  }

  async forget(sessionId: string, characterId: string, factId?: number): Promise<void> {
    const ref = this.d.person(sessionId);
    if (!ref) return;
    await this.d.store.forget(characterId, ref.personId, factId);
    await this.show(sessionId, characterId);
  }

  /** Forgets the asking person everywhere; answers with what was removed. */
  async forgetMe(sessionId: string): Promise<void> {
    const ref = this.d.person(sessionId);
    if (!ref) return;
    try {
      const names = new Set([ref.name]);
      const sessions = new Set(this.d.sessionsOf(ref.personId));
      for (const e of this.d.conversation.recent(1000)) if (sessions.has(e.speakerId)) names.add(e.speakerName);
      const report = await this.d.store.forgetPerson(ref.personId, FORGOTTEN_NAME);
      const redact = (t: string): string => redactNames(t, names, FORGOTTEN_NAME);
      // the live table follows the store: lines it no longer has are gone, the rest redacted
      const kept = new Map((await this.d.store.recentLines(this.d.table, 1000)).map((l) => [l.id, l]));
      for (const e of [...this.d.conversation.recent(1000)]) {
        if (sessions.has(e.speakerId) || (e.done && e.kind !== "system" && !kept.has(e.id))) this.d.conversation.remove(e.id);
        else if (redact(e.text) !== e.text || redact(e.heardText) !== e.heardText) this.d.conversation.update(e.id, { text: redact(e.text), heardText: redact(e.heardText) });
      }
      this.d.writer.forget(sessions, redact);
      const payload: ForgottenPayload = report;
      this.d.send(sessionId, ServerMessage.forgotten, payload);
      log.info(`a person asked to be forgotten: ${report.lines} lines, ${report.facts} facts, ${report.summaries} summaries removed`);
    } catch (err) {
      log.error(`forgetting a person failed: ${errorMessage(err)}`);
      this.d.fail(sessionId, "Parley could not forget everything just now; nothing was half-forgotten in the database. Try again.");
    }
  }
}
