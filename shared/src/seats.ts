/**
 * One ring of places around the table, shared by characters and people, in one
 * numbering. Place k sits at angle (k - 4) · 45° from the far side of the table:
 * place 4 is the far side's middle, place 0 the near side's. Characters fill
 * consecutive places centred on the far side (so their seat numbers follow their
 * order around the table); people take the free place nearest the near side.
 */
export const TABLE_PLACES = 8;

/** the far side's middle place */
const FAR = 4;

/** Seats of `count` characters, in their order: consecutive places centred on the far side. */
export function characterSeats(count: number): number[] {
  const n = Math.max(0, Math.min(count, TABLE_PLACES));
  const start = FAR - Math.floor((n - 1) / 2);
  return Array.from({ length: n }, (_, i) => (start + i + TABLE_PLACES) % TABLE_PLACES);
}

/** Places in the order people take them: the near side's middle first, then alternating outwards. */
export const PERSON_SEAT_ORDER: readonly number[] = [0, 1, 7, 2, 6, 3, 5, 4];

/** Places in the order a character joining a running table takes them: the far side's middle first, then outwards. */
export const CHARACTER_SEAT_ORDER: readonly number[] = [...PERSON_SEAT_ORDER].reverse();

/** The place a character joining now gets, or null when every place is taken. */
export function freeCharacterSeat(taken: ReadonlySet<number>): number | null {
  for (const s of CHARACTER_SEAT_ORDER) if (!taken.has(s)) return s;
  return null;
}

/** A person's seat when every place is taken: they watch from behind the ring until one frees up. */
export const NO_SEAT = -1;

/** The place a person joining now gets, or null when every place is taken. */
export function freePersonSeat(taken: ReadonlySet<number>): number | null {
  for (const s of PERSON_SEAT_ORDER) if (!taken.has(s)) return s;
  return null;
}

/** Angle of a place around the table, rad: 0 is the far side (-z), growing towards +x. */
export function placeAngle(seat: number): number {
  return ((seat - FAR) * 2 * Math.PI) / TABLE_PLACES;
}
