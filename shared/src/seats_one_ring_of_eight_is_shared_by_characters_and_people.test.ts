import { describe, it, expect } from "vitest";
import { characterSeats, freePersonSeat, placeAngle, TABLE_PLACES } from "./seats.js";

describe("one ring of eight places", () => {
  it("seats characters in order on consecutive places around the far side", () => {
    expect(characterSeats(1)).toEqual([4]);
    expect(characterSeats(3)).toEqual([3, 4, 5]);
    expect(characterSeats(6)).toEqual([2, 3, 4, 5, 6, 7]);
    for (let n = 1; n <= 6; n++) {
      const seats = characterSeats(n);
      // increasing numbers follow the order around the table
      expect(seats.every((s, i) => i === 0 || s === seats[i - 1]! + 1)).toBe(true);
      const mean = seats.reduce((a, s) => a + placeAngle(s), 0) / n;
      expect(Math.abs(mean)).toBeLessThanOrEqual(Math.PI / TABLE_PLACES + 1e-9);
    }
  });

  it("gives people the free place nearest the near side, and none when the ring is full", () => {
    const taken = new Set(characterSeats(3));
    const order: number[] = [];
    for (let s = freePersonSeat(taken); s !== null; s = freePersonSeat(taken)) { order.push(s); taken.add(s); }
    expect(order).toEqual([0, 1, 7, 2, 6]);
    expect(Math.abs(placeAngle(0))).toBeCloseTo(Math.PI);
    expect(taken.size).toBe(TABLE_PLACES);
  });
});
