/**
 * Word between processes sharing one presence (PARLEY_REDIS_URL) that something
 * kept in the store changed: a user's character, an uploaded avatar, a table's
 * cast. The message only names what changed; each process reads it again from
 * the store (the store is the truth, a message lost to a reconnect only delays
 * a refresh that the next read on demand does anyway). In one process there is
 * nobody to tell: publishing does nothing.
 */
import type { Presence } from "@colyseus/core";
import { randomUUID } from "node:crypto";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

export const LIBRARY_TOPIC = "parley:library";

/** the topic an owning process listens on for cast changes made elsewhere */
export const castTopic = (tableId: string): string => `parley:table:${tableId}:cast`;

export interface LibraryChange { what: "character" | "avatar"; id: string }

interface Sent { from: string }

export class LibraryBus {
  /** this process, so it skips what it sent itself */
  private readonly me = randomUUID();

  constructor(private readonly presence: Presence | null) {}

  get shared(): boolean { return this.presence !== null; }

  publish(topic: string, message: object): void {
    if (!this.presence) return;
    Promise.resolve(this.presence.publish(topic, { ...message, from: this.me }))
      .catch((err: unknown) => log.errorOnce(`publish ${topic}`, `other processes were not told of a change (${errorMessage(err)}); they see it at their next read`));
  }

  /** Calls `fn` with what other processes publish on `topic`; returns the unsubscribe. */
  subscribe<T extends object>(topic: string, fn: (message: T) => void): () => void {
    if (!this.presence) return () => {};
    const presence = this.presence;
    const listener = (m: T & Partial<Sent>): void => { if (m && typeof m === "object" && m.from !== this.me) fn(m); };
    void presence.subscribe(topic, listener);
    return () => { void presence.unsubscribe(topic, listener); };
  }

  changed(change: LibraryChange): void { this.publish(LIBRARY_TOPIC, change); }

  onChange(fn: (change: LibraryChange) => void): () => void {
    return this.subscribe<LibraryChange>(LIBRARY_TOPIC, (m) => { if ((m.what === "character" || m.what === "avatar") && typeof m.id === "string") fn({ what: m.what, id: m.id }); });
  }
}
