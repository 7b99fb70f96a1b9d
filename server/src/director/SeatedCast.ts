/**
 * Who sits at a director's table: the characters seated now (the room's live
 * views, never copies; the array itself is shared with whoever reads the cast),
 * those saying goodbye (no longer chosen or addressed, still shown until they
 * are gone), and each one's brain.
 */
import type { CharacterConfig } from "@parley/shared";
import type { Seat } from "../brain/prompt.js";
import type { Brain } from "../brain/Brain.js";

export class SeatedCast {
  /** seated now, in seating order; changed only by seat() and leave() */
  readonly list: CharacterConfig[];
  readonly brains = new Map<string, Brain>();
  private readonly leaving = new Map<string, CharacterConfig>();

  constructor(characters: readonly CharacterConfig[], private readonly brainOf: (c: CharacterConfig) => Brain) {
    this.list = [...characters];
    for (const c of characters) this.brains.set(c.id, brainOf(c));
  }

  /** seated or still saying goodbye */
  char(id: string): CharacterConfig | undefined { return this.list.find((c) => c.id === id) ?? this.leaving.get(id); }

  /** Seats `c`; false when it is at the table already. */
  seat(c: CharacterConfig): boolean {
    if (this.char(c.id)) return false;
    this.list.push(c);
    this.brains.set(c.id, this.brainOf(c));
    return true;
  }

  /** `id` stands up to say goodbye (undefined: not seated). */
  leave(id: string): CharacterConfig | undefined {
    const c = this.list.find((x) => x.id === id);
    if (!c) return undefined;
    this.list.splice(this.list.indexOf(c), 1);
    this.leaving.set(id, c);
    return c;
  }

  /** `id`'s goodbye is over: it is gone (false: it was not leaving). */
  gone(id: string): boolean {
    if (!this.leaving.delete(id)) return false;
    this.brains.delete(id);
    return true;
  }

  /** everyone shown at the table: seated and leaving */
  shown(): CharacterConfig[] { return [...this.list, ...this.leaving.values()]; }

  /** the table as the characters' prompts see it */
  seats(people: readonly Seat[]): Seat[] {
    return [...people, ...this.list.map((c) => ({ id: c.id, name: c.name, kind: "character" as const, about: c.persona.split(/[.!?]/)[0]?.slice(0, 80) }))];
  }
}
