/**
 * Writes characters' memories when a conversation goes quiet: each character who
 * took part is asked (through the room's LLM) what it wants to remember about the
 * people present and for a one-line summary; the answers go to the store. The
 * memories then come back in that character's later prompts. At a table with a
 * language, memories are written in it. Writing runs on the director's background
 * signal: a person who starts talking stops it (the model is theirs), and the
 * lines wait for the next quiet moment.
 */
import type { CharacterConfig } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { ConversationLog, LogEntry } from "../conversation/ConversationLog.js";
import type { Store } from "../store/Store.js";
import type { MemoryReader } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import { errorMessage } from "../util/errors.js";
import { tableLanguageOf } from "../i18n/liveCharacter.js";
import { serverText } from "../i18n/serverText.js";
import { log } from "../util/log.js";

export const MEMORY_DEFAULTS = {
  /** a conversation counts as over after this long without a new line, ms */
  quietMs: 45_000,
  factsPerPerson: 3,
  /** facts and summaries shown in a prompt */
  promptFacts: 8,
  promptSummaries: 3,
};

export interface PersonRef { personId: string; name: string }

export class MemoryWriter implements MemoryReader {
  private since: LogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly o: typeof MEMORY_DEFAULTS;

  constructor(
    private readonly store: Store,
    private readonly llm: LlmHost,
    private readonly characters: readonly CharacterConfig[],
    /** who a person line's speaker id (a session) is, across visits */
    private readonly personOf: (speakerId: string) => PersonRef | undefined,
    opts: Partial<typeof MEMORY_DEFAULTS> = {},
    /** its signal is aborted when a person acts or the table ends (the table's background work) */
    private readonly background: { readonly signal: AbortSignal } = { signal: new AbortController().signal },
  ) {
    this.o = { ...MEMORY_DEFAULTS, ...opts };
  }

  /** Follows a log: every finished line restarts the quiet timer. */
  watch(conversation: ConversationLog): () => void {
    const onLine = (e: LogEntry): void => {
      if (!e.done || e.kind === "system") return;
      const i = this.since.findIndex((x) => x.id === e.id);
      if (i >= 0) this.since[i] = { ...e }; else this.since.push({ ...e });
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.timer = null; void this.writeNow(); }, this.o.quietMs);
    };
    conversation.on("add", onLine);
    conversation.on("update", onLine);
    return () => { conversation.off("add", onLine); conversation.off("update", onLine); };
  }

  /**
   * Writes memories for what was said since the last write (also used when a
   * room closes, with a signal of its own). Lines whose writing was stopped go
   * back for the next time.
   */
  writeNow(signal: AbortSignal = this.background.signal): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const lines = this.since;
    this.since = [];
    this.writing = this.writing.then(async () => {
      const done = await this.write(lines, signal).catch((err: unknown) => { log.warn(`memories were not written: ${errorMessage(err)}`); return true; });
      if (!done) this.since = [...lines.filter((l) => !this.since.some((x) => x.id === l.id)), ...this.since];
    });
    return this.writing;
  }

  /** Drops a person's pending lines and their name from the rest (they asked to be forgotten). */
  forget(speakerIds: ReadonlySet<string>, redact: (text: string) => string): void {
    this.since = this.since.filter((l) => !speakerIds.has(l.speakerId)).map((l) => ({ ...l, text: redact(l.text), heardText: redact(l.heardText) }));
  }

  /** false when stopped by the signal before every character wrote */
  private async write(lines: LogEntry[], signal: AbortSignal): Promise<boolean> {
    const people = new Map<string, PersonRef>();
    for (const l of lines) if (l.kind === "person") { const p = this.personOf(l.speakerId); if (p) people.set(p.personId, p); }
    if (people.size === 0) return true;
    const spoke = new Set(lines.filter((l) => l.kind === "character").map((l) => l.speakerId));
    const transcript = lines.map((l) => `${l.speakerName}: ${l.interrupted ? `${l.heardText}—` : l.text}`).join("\n");
    for (const c of this.characters.filter((x) => spoke.has(x.id))) {
      const language = tableLanguageOf(c);
      const prompt = [
        `You are ${c.name}. ${c.persona}`,
        `Here is a conversation you just had:\n${transcript}`,
        `Write what you want to remember about ${[...people.values()].map((p) => p.name).join(", ")}: up to ${this.o.factsPerPerson} lines per person, each "FACT <name>: <what you learned about them>", only things they said or clearly showed.`,
        `Then one line "SUMMARY: <the conversation in one sentence>".`,
        ...(language ? [serverText(language).rememberIn] : []),
      ].join("\n\n");
      if (signal.aborted) return false;
      let answer = "";
      try {
        for await (const d of this.llm.stream({ key: "__memory", messages: [{ role: "user", content: prompt }], temperature: 0.2, maxTokens: 200, signal })) answer += d;
      } catch (err) {
        log.warn(`${c.name} could not write memories: ${errorMessage(err)}`);
        continue;
      }
      // a half-written answer is not a memory
      if (signal.aborted) return false;
      await this.save(c.id, answer, [...people.values()]);
    }
    return true;
  }

  private async save(characterId: string, answer: string, people: PersonRef[]): Promise<void> {
    const counts = new Map<string, number>();
    for (const raw of answer.split("\n")) {
      const line = raw.trim();
      // a model writing in Russian or Chinese may translate the keyword, and Chinese uses a full-width colon
      const fact = /^(?:FACT|ФАКТ|事实)\s*([^:：]{1,60})[:：]\s*(.{3,300})$/iu.exec(line);
      if (fact) {
        const who = people.find((p) => p.name.toLowerCase() === fact[1]!.trim().toLowerCase());
        const n = who ? counts.get(who.personId) ?? 0 : 0;
        if (who && n < this.o.factsPerPerson) {
          await this.store.addFact(characterId, who.personId, fact[2]!.trim());
          counts.set(who.personId, n + 1);
        }
        continue;
      }
      const summary = /^(?:SUMMARY|ИТОГ|РЕЗЮМЕ|总结|摘要)\s*[:：]\s*(.{3,400})$/iu.exec(line);
      if (summary) await this.store.addSummary(characterId, people.map((p) => p.personId), summary[1]!.trim());
    }
  }

  /** Memory lines for a character's prompt about the people now at the table. */
  async notesFor(characterId: string, seated: readonly Seat[]): Promise<string> {
    const me = this.characters.find((c) => c.id === characterId);
    const t = serverText((me && tableLanguageOf(me)) ?? "en");
    const out: string[] = [];
    const ids = new Set<string>();
    for (const s of seated) {
      const p = this.personOf(s.id);
      if (!p) continue;
      ids.add(p.personId);
      const facts = (await this.store.facts(characterId, p.personId)).slice(-this.o.promptFacts);
      if (facts.length) out.push(`${t.about(s.name)} ${facts.map((f) => f.text).join("; ")}`);
    }
    const summaries = (await this.store.summaries(characterId, 20)).filter((x) => x.people.some((id) => ids.has(id))).slice(0, this.o.promptSummaries);
    for (const x of summaries.reverse()) out.push(`${t.earlier} ${x.text}`);
    return out.join("\n");
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.writing;
  }
}
