/**
 * Who sits at one table: its one list of characters, each a live view in the
 * table's language (i18n/liveCharacter), seated or saying goodbye, and, while
 * the table is open in this process, the place each one takes in the ring it
 * shares with people. The host seats a character from the library (it takes a
 * free place, its avatar loads, it greets) or sends one away (it says goodbye,
 * then leaves) while the table runs, through HTTP routes or another process;
 * the open table (its stage) shows it and lets its director greet and say
 * goodbye. Edits made in the studio reach a seated character at once. Who sits
 * is kept with the table in the store, so it survives a restart.
 */
import { characterSeats, freeCharacterSeat, NO_SEAT, type CharacterConfig } from "@parley/shared";
import { liveCharacter, retarget } from "../i18n/liveCharacter.js";
import type { TableLanguage } from "../i18n/TableLanguage.js";
import type { VoiceOwners } from "./TableVoices.js";
import type { Seats } from "../director/directorDeps.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

/** characters at one table, at most */
export const MAX_SEATED = 6;

/** What the open table does when its cast changes. */
export interface CastStage {
  /** the places people sit at (characters and people share one ring) */
  peoplePlaces(): Iterable<number>;
  /** the character sat down at `place`: show it and let it greet */
  seated(character: CharacterConfig, place: number): void;
  /** the character says goodbye; `left` follows when it is gone */
  leaving(id: string): void;
  /** the character is gone from the table */
  left(id: string): void;
  /** a seated character was edited: its name, colour or avatar may have changed */
  changed(id: string): void;
}

/** Where characters come from (the CharacterLibrary): each by id, and word when one is edited. */
export interface CastLibrary {
  get(id: string): CharacterConfig | undefined;
  on(event: "changed", listener: (character: CharacterConfig) => void): unknown;
}

/** Keeps who sits at the table (the table's record in the store). */
export type SaveCast = (ids: string[]) => Promise<void>;

export class Cast implements Seats, VoiceOwners {
  private readonly views: CharacterConfig[] = [];
  /** every character at the table in seating order, those saying goodbye included; changed in place */
  readonly list: readonly CharacterConfig[] = this.views;
  private readonly goingAway = new Set<string>();
  /** where each character sits, while the table is open here */
  private readonly places = new Map<string, number>();
  private stage: CastStage | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    characters: readonly CharacterConfig[],
    readonly language: TableLanguage,
    private readonly library: CastLibrary,
    private readonly save: SaveCast,
  ) {
    for (const c of characters.slice(0, MAX_SEATED)) this.views.push(liveCharacter(c, language));
    library.on("changed", (c) => {
      const view = this.get(c.id);
      if (!view) return;
      retarget(view, c);
      this.stage?.changed(c.id);
    });
  }

  /** seated or still saying goodbye */
  get(id: string): CharacterConfig | undefined { return this.views.find((c) => c.id === id); }

  /** seated now, in seating order (not those saying goodbye) */
  get seated(): CharacterConfig[] { return this.views.filter((c) => !this.goingAway.has(c.id)); }

  isSeated(id: string): boolean { return !!this.get(id) && !this.goingAway.has(id); }

  ids(): string[] { return this.seated.map((c) => c.id); }

  /** where `id` sits while the table is open here (NO_SEAT otherwise) */
  placeOf(id: string): number { return this.places.get(id) ?? NO_SEAT; }

  /** Whose voice this is at the table's current language. */
  ownerOfVoice(voice: object): CharacterConfig | undefined { return this.views.find((c) => c.voice === voice); }

  /** Whether the table is open on this cast (in this process). */
  get live(): boolean { return this.stage !== null; }

  /**
   * The table opened here: every character takes its place, and seats and
   * goodbyes go through `stage` from now on. Returns the close (goodbyes under
   * way end there).
   */
  open(stage: CastStage): () => void {
    this.stage = stage;
    const seats = characterSeats(this.views.length);
    this.views.forEach((c, i) => this.places.set(c.id, seats[i]!));
    return () => {
      if (this.stage !== stage) return;
      for (const id of [...this.goingAway]) this.left(id);
      this.stage = null;
      this.places.clear();
    };
  }

  private freePlace(): number | null {
    if (!this.stage) return null;
    return freeCharacterSeat(new Set([...this.places.values(), ...this.stage.peoplePlaces()]));
  }

  add(id: string): CharacterConfig {
    const c = this.library.get(id);
    if (!c) throw new LibraryError(`no character "${id.slice(0, 40)}"`, 404);
    if (this.goingAway.has(id)) throw new LibraryError(`${c.name} is still saying goodbye`, 409);
    if (this.get(id)) throw new LibraryError(`${c.name} already sits at the table`, 409);
    if (this.views.length >= MAX_SEATED) throw new LibraryError(`the table is full (${MAX_SEATED} characters): remove someone first`, 409);
    const place = this.freePlace();
    if (this.stage && place === null) throw new LibraryError("every place at the table is taken: a character needs a free place", 409);
    const view = liveCharacter(c, this.language);
    this.views.push(view);
    if (this.stage && place !== null) {
      this.places.set(id, place);
      this.stage.seated(view, place);
    }
    this.persist();
    return view;
  }

  /** Starts the goodbye; true when the character is already gone (the table is not open here). */
  remove(id: string): boolean {
    if (!this.get(id) || this.goingAway.has(id)) throw new LibraryError(`no character "${id.slice(0, 40)}" at the table`, 404);
    if (!this.stage) { this.drop(id); this.persist(); return true; }
    this.goingAway.add(id);
    this.stage.leaving(id);
    return false;
  }

  /** The goodbye is over: the character is gone. */
  left(id: string): void {
    this.goingAway.delete(id);
    this.drop(id);
    this.persist();
    this.stage?.left(id);
  }

  private drop(id: string): void {
    const i = this.views.findIndex((c) => c.id === id);
    if (i >= 0) this.views.splice(i, 1);
    this.places.delete(id);
  }

  /**
   * Makes the cast the one stored, changed through another process: with the
   * table open here, newcomers sit down and greet and those gone say goodbye
   * (what cannot sit, a full table, is left out and the stored cast corrected);
   * without it, the cast is only brought up to date.
   */
  follow(ids: readonly string[]): void {
    if (!this.stage) {
      for (const c of [...this.views]) if (!ids.includes(c.id)) this.drop(c.id);
      for (const id of ids) { const c = this.library.get(id); if (c && !this.get(id)) this.views.push(liveCharacter(c, this.language)); }
      return;
    }
    for (const id of this.ids()) if (!ids.includes(id)) this.remove(id);
    for (const id of ids) {
      if (this.get(id)) continue;
      try { this.add(id); } catch (err) { log.warn(`a character seated through another process cannot sit here: ${errorMessage(err)}`); }
    }
    // the store keeps what sits here now (a goodbye under way saves when it is over)
    if (ids.join() !== this.ids().join()) this.persist();
  }

  private persist(): void {
    const ids = this.ids();
    this.saving = this.saving.then(() => this.save(ids))
      .catch((err: unknown) => log.error(`the table's cast was not saved: ${errorMessage(err)}`));
  }

  /** Resolves when the last change is stored (tests, shutdown). */
  flushed(): Promise<void> { return this.saving; }
}
