/**
 * How the open room seats and unseats characters for the live cast: a new
 * character takes the free place nearest the far side of the ring it shares
 * with people (shared/seats.ts) (every client loads
 * its avatar) and the director lets it greet; one leaving says goodbye through
 * the director and leaves the state when it is gone.
 */
import { freeCharacterSeat, type CharacterConfig } from "@parley/shared";
import { CharacterSchema, type RoomState } from "./state.js";
import type { Director } from "../director/Director.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import type { SeatingRoom } from "./LiveCast.js";

export function seatingOf(state: InstanceType<typeof RoomState>, director: () => Director, avatars: AvatarStore, cast: readonly CharacterConfig[]): SeatingRoom {
  // characters and people share one ring of places: a newcomer takes the free one nearest the far side
  const freeSeat = (): number | null => freeCharacterSeat(new Set([...state.characters.values(), ...state.people.values()].map((x) => x.seat)));
  return {
    hasPlace: () => freeSeat() !== null,
    seat(c) {
      const seat = freeSeat();
      if (seat === null) return;
      state.characters.set(c.id, new CharacterSchema({ id: c.id, name: c.name, seat, avatarUrl: avatars.urlFor(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "" }));
      director().seat(c);
    },
    unseat(id) { director().unseat(id); },
    refresh(id) {
      const c = cast.find((x) => x.id === id);
      const s = state.characters.get(id);
      if (!c || !s) return;
      s.name = c.name;
      s.color = c.color;
      s.avatarUrl = avatars.urlFor(c);
    },
  };
}
