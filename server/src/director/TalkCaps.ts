/**
 * How far characters go on among themselves without a person: with "everyone
 * talks", up to the room's maximum of turns and DIRECTOR_TIMING.maxAutoMs;
 * without it, a character may hand the floor on by name once per person's line.
 * A person's action starts the count again.
 */
export class TalkCaps {
  private turns = 0;
  /** hand-offs by name since a person last acted */
  private handOffs = 0;
  /** performance.now() when a person last acted, ms */
  private since = 0;

  constructor(private readonly maxTurns: () => number, private readonly maxMs: number) {}

  /** A person acted: the characters may talk again. */
  reset(): void {
    this.turns = 0;
    this.handOffs = 0;
    this.since = performance.now();
  }

  countTurn(): void { this.turns++; }

  countHandOff(): void { this.handOffs++; }

  /** "Everyone talks" may go on: below the turn cap and within the time cap. */
  within(): boolean { return this.turns < this.maxTurns() && performance.now() - this.since < this.maxMs; }

  /** A character may hand the floor on by name: within the caps, or once per person's line without "everyone talks". */
  mayHandOff(everyoneTalks: boolean): boolean { return everyoneTalks ? this.within() : this.handOffs < 1; }
}
