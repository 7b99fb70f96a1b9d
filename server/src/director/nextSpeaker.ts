/**
 * Reading who a line hands the floor to: a character's line that addresses
 * another character by name ("Theo, what do you think?") gives Theo the next
 * turn; one that addresses a person by name makes the table wait for them.
 * Only vocatives count: a name merely mentioned hands nothing on.
 */
import type { CharacterConfig } from "@parley/shared";
import type { Seat } from "../brain/prompt.js";
import { whoIsAddressed } from "./addressing.js";

export type HandOff = { kind: "character"; id: string } | { kind: "person"; id: string } | null;

export function handOffOf(text: string, speakerId: string, characters: readonly CharacterConfig[], people: readonly Seat[]): HandOff {
  if (!text.trim()) return null;
  const roster = [
    ...characters.filter((c) => c.id !== speakerId).map((c) => ({ id: c.id, name: c.name, nicknames: c.nicknames })),
    ...people.map((p) => ({ id: p.id, name: p.name, nicknames: [] as string[] })),
  ];
  const first = whoIsAddressed(text, roster).vocatives[0];
  if (!first) return null;
  return characters.some((c) => c.id === first) ? { kind: "character", id: first } : { kind: "person", id: first };
}
