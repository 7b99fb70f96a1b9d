/**
 * The table's cast while it runs. The host adds a character from the library
 * (it takes a free seat, its avatar loads, it greets) or removes one (it says
 * goodbye, then leaves), without a restart. HTTP routes call this; the open
 * room attaches to it and does the seating through its director. Edits made in
 * the studio reach a seated character at once (its live view follows). Who
 * sits at the table is kept with the table in the store, so it survives a
 * restart. Every table has its own live cast.
 */
import type { CharacterConfig } from "@parley/shared";
import type { TableCast } from "../i18n/TableCast.js";
import type { CharacterLibrary } from "../library/CharacterLibrary.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

/** characters at one table, at most (the room has six seats) */
export const MAX_SEATED = 6;

/** What the open room does for the cast. */
export interface SeatingRoom {
  /** whether a place around the table is free (people take places too) */
  hasPlace(): boolean;
  /** the character (a live view) sits down and greets */
  seat(character: CharacterConfig): void;
  /** the character says goodbye; the room calls `left` when it is gone */
  unseat(id: string): void;
  /** a seated character was edited: its name, colour or avatar may have changed */
  refresh(id: string): void;
}

/** Keeps who sits at the table (the table's record in the store). */
export type SaveCast = (ids: string[]) => Promise<void>;

export class LiveCast {
  private room: SeatingRoom | null = null;
  private readonly leaving = new Set<string>();
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly cast: TableCast, private readonly library: Pick<CharacterLibrary, "get" | "on">, private readonly save: SaveCast) {
    library.on("changed", (c) => {
      if (!this.cast.get(c.id)) return;
      this.cast.update(c);
      this.room?.refresh(c.id);
    });
  }

  /** The room opened: it seats and unseats from now on. Returns the detach (pending goodbyes end there). */
  attach(room: SeatingRoom): () => void {
    this.room = room;
    return () => {
      if (this.room !== room) return;
      this.room = null;
      for (const id of [...this.leaving]) this.left(id);
    };
  }

  /** Whether the table's room is open on this cast (in this process). */
  get live(): boolean { return this.room !== null; }

  /**
   * Makes the cast the one stored, changed through another process: with the
   * room open here, newcomers sit down and greet and those gone say goodbye
   * (what cannot sit, a full table, is left out and the stored cast corrected);
   * without it, the cast is only brought up to date.
   */
  follow(ids: readonly string[]): void {
    if (!this.room) {
      for (const c of [...this.cast.list]) if (!ids.includes(c.id)) this.cast.remove(c.id);
      for (const id of ids) { const c = this.library.get(id); if (c && !this.cast.get(id)) this.cast.add(c); }
      return;
    }
    for (const id of this.ids()) if (!ids.includes(id)) this.remove(id);
    for (const id of ids) {
      if (this.cast.get(id)) continue;
      try { this.add(id); } catch (err) { log.warn(`a character seated through another process cannot sit here: ${errorMessage(err)}`); }
    }
    // the store keeps what sits here now (a goodbye under way saves when it is over)
    if (ids.join() !== this.ids().join()) this.persist();
  }

  seated(id: string): boolean { return !!this.cast.get(id) && !this.leaving.has(id); }

  ids(): string[] { return this.cast.list.map((c) => c.id).filter((id) => !this.leaving.has(id)); }

  add(id: string): CharacterConfig {
    const c = this.library.get(id);
    if (!c) throw new LibraryError(`no character "${id.slice(0, 40)}"`, 404);
    if (this.leaving.has(id)) throw new LibraryError(`${c.name} is still saying goodbye`, 409);
    if (this.cast.get(id)) throw new LibraryError(`${c.name} already sits at the table`, 409);
    if (this.cast.list.length >= MAX_SEATED) throw new LibraryError(`the table is full (${MAX_SEATED} characters): remove someone first`, 409);
    if (this.room && !this.room.hasPlace()) throw new LibraryError("every place at the table is taken: a character needs a free place", 409);
    const view = this.cast.add(c);
    this.room?.seat(view);
    this.persist();
    return view;
  }

  /** Starts the goodbye; true when the character is already gone (no room was open). */
  remove(id: string): boolean {
    const c = this.cast.get(id);
    if (!c || this.leaving.has(id)) throw new LibraryError(`no character "${id.slice(0, 40)}" at the table`, 404);
    if (!this.room) { this.cast.remove(id); this.persist(); return true; }
    this.leaving.add(id);
    this.room.unseat(id);
    return false;
  }

  /** The room reports a goodbye is over. */
  left(id: string): void {
    this.leaving.delete(id);
    this.cast.remove(id);
    this.persist();
  }

  private persist(): void {
    const ids = this.ids();
    this.saving = this.saving.then(() => this.save(ids))
      .catch((err: unknown) => log.error(`the table's cast was not saved: ${errorMessage(err)}`));
  }

  /** Resolves when the last change is stored (tests, shutdown). */
  flushed(): Promise<void> { return this.saving; }
}
