/**
 * Characters look at whoever speaks, people included. The director says whom
 * each character attends to (its addressee while it speaks, the speaker while it
 * listens); while a person speaks, every character turns to that person instead
 * (the latest one to start, when several do), and back to the director's choice
 * when they stop.
 */
import type { CharacterPresence } from "./showTable.js";

export class PeopleGaze {
  /** the director's choice per character */
  private readonly wanted = new Map<string, string>();
  /** people speaking now, in the order they started */
  private readonly speaking: string[] = [];
  private out: CharacterPresence | null = null;

  /** @param characterIds who sits at the table now */
  constructor(private readonly characterIds: () => readonly string[]) {}

  /** What the director writes to instead of `out`: states and emotions pass through, gaze is merged. */
  wrap(out: CharacterPresence): CharacterPresence {
    this.out = out;
    return {
      setState: (id, s) => out.setState(id, s),
      setEmotion: (id, e, i) => out.setEmotion(id, e, i),
      setLookAt: (id, target) => { this.wanted.set(id, target); this.apply(id); },
    };
  }

  /** A person's microphone started or stopped hearing speech (or they left: false). */
  personSpeaking(personId: string, on: boolean): void {
    const i = this.speaking.indexOf(personId);
    if (i >= 0) this.speaking.splice(i, 1);
    if (on) this.speaking.push(personId);
    for (const id of this.characterIds()) this.apply(id);
  }

  private apply(id: string): void {
    this.out?.setLookAt(id, this.speaking.at(-1) ?? this.wanted.get(id) ?? "");
  }
}
