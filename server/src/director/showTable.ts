/** How the table looks from who holds the floor: speakers think or speak and face whom they answer; everyone else listens to the main speaker. */
import type { CharacterConfig, CharacterState, Emotion } from "@parley/shared";

/** How the director shows characters to the room. */
export interface CharacterPresence {
  setState(id: string, state: CharacterState): void;
  setEmotion(id: string, emotion: Emotion, intensity: number): void;
  setLookAt(id: string, target: string): void;
}

export interface FloorHolder { id: string; addressee: string; audible: boolean }

export function showTable(characters: readonly CharacterConfig[], presence: CharacterPresence, speakers: readonly FloorHolder[]): void {
  const main = speakers[0];
  for (const c of characters) {
    const mine = speakers.find((s) => s.id === c.id);
    if (mine) {
      presence.setState(c.id, mine.audible ? "speaking" : "thinking");
      presence.setLookAt(c.id, mine.addressee);
    } else {
      presence.setState(c.id, main ? "listening" : "idle");
      presence.setLookAt(c.id, main ? main.id : "");
      if (!main) presence.setEmotion(c.id, "neutral", 0);
    }
  }
}
