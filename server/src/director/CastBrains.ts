/**
 * The director's side of the table's cast: who sits there (read live from the
 * table's cast) and each seated character's brain, made when it sits down and
 * dropped when it is gone.
 */
import type { CharacterConfig } from "@parley/shared";
import type { Seat } from "../brain/prompt.js";
import type { Brain } from "../brain/Brain.js";
import type { Seats } from "./directorDeps.js";

export class CastBrains {
  readonly brains = new Map<string, Brain>();

  constructor(private readonly cast: Seats, private readonly brainOf: (c: CharacterConfig) => Brain) {
    for (const c of cast.seated) this.brains.set(c.id, brainOf(c));
  }

  /** seated now, in seating order */
  get list(): readonly CharacterConfig[] { return this.cast.seated; }

  /** seated or still saying goodbye */
  char(id: string): CharacterConfig | undefined { return this.cast.get(id); }

  /** `c` sat down: its brain is made; false when it had one already */
  sat(c: CharacterConfig): boolean {
    if (this.brains.has(c.id)) return false;
    this.brains.set(c.id, this.brainOf(c));
    return true;
  }

  /** `id`'s goodbye is over: its brain goes (false: it had none) */
  gone(id: string): boolean { return this.brains.delete(id); }

  /** a character's brain (made now if it sat down unannounced) */
  brain(id: string): Brain | undefined {
    const have = this.brains.get(id);
    if (have) return have;
    const c = this.cast.get(id);
    if (c) this.sat(c);
    return this.brains.get(id);
  }

  /** everyone shown at the table: seated and leaving */
  shown(): readonly CharacterConfig[] { return this.cast.list; }

  /** the table as the characters' prompts see it */
  seats(people: readonly Seat[]): Seat[] {
    return [...people, ...this.cast.seated.map((c) => ({ id: c.id, name: c.name, kind: "character" as const, about: c.persona.split(/[.!?]/)[0]?.slice(0, 80) }))];
  }
}
