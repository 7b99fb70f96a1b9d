/**
 * The room's shared log: every line said at the table, by people and characters,
 * with what was heard of it. The director and the brains read it; the room mirrors
 * the recent part into state for clients.
 */
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import type { LineView } from "@parley/shared";

/** A transcript line as clients see it, plus whom it was said to and when. */
export interface LogEntry extends LineView {
  /** whom the line was addressed to: an id, or "" for the table */
  addressee: string;
  at: number;
}

export class ConversationLog extends EventEmitter<{ add: [LogEntry]; update: [LogEntry]; remove: [LogEntry] }> {
  private readonly entries: LogEntry[] = [];

  constructor(private readonly maxEntries = 1000) { super(); }

  add(e: Omit<LogEntry, "id" | "at" | "heardText" | "interrupted" | "error" | "done"> & Partial<Pick<LogEntry, "done" | "heardText">>): LogEntry {
    const entry: LogEntry = { id: randomUUID().slice(0, 12), at: Date.now(), heardText: e.heardText ?? e.text, interrupted: false, error: "", done: e.done ?? true, ...e };
    this.entries.push(entry);
    if (this.entries.length > this.maxEntries) this.entries.shift();
    this.emit("add", entry);
    return entry;
  }

  update(id: string, patch: Partial<Omit<LogEntry, "id">>): LogEntry | undefined {
    const e = this.entries.find((x) => x.id === id);
    if (!e) return undefined;
    Object.assign(e, patch);
    this.emit("update", e);
    return e;
  }

  /** Takes back a line that turned out not to be one (a live transcript of a mere "mm-hm"). */
  remove(id: string): void {
    const i = this.entries.findIndex((x) => x.id === id);
    if (i < 0) return;
    const [e] = this.entries.splice(i, 1);
    this.emit("remove", e!);
  }

  /** Puts back lines from an earlier session (they are announced like new ones). */
  restore(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      const copy = { ...e };
      this.entries.push(copy);
      this.emit("add", copy);
    }
    while (this.entries.length > this.maxEntries) this.entries.shift();
  }

  recent(n: number): readonly LogEntry[] {
    return this.entries.slice(-n);
  }

}
