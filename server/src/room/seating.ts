/**
 * How the open room seats and unseats characters for the live cast: a new
 * character takes the lowest free seat in the room's state (every client loads
 * its avatar) and the director lets it greet; one leaving says goodbye through
 * the director and leaves the state when it is gone.
 */
import type { CharacterConfig } from "@parley/shared";
import { CharacterSchema, type RoomState } from "./state.js";
import type { Director } from "../director/Director.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import type { SeatingRoom } from "./LiveCast.js";

export function seatingOf(state: InstanceType<typeof RoomState>, director: () => Director, avatars: AvatarStore, cast: readonly CharacterConfig[]): SeatingRoom {
  const freeSeat = (): number => {
    const taken = new Set([...state.characters.values()].map((c) => c.seat));
    let seat = 0;
    while (taken.has(seat)) seat++;
    return seat;
  };
  return {
    seat(c) {
      state.characters.set(c.id, new CharacterSchema({ id: c.id, name: c.name, seat: freeSeat(), avatarUrl: avatars.urlFor(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "" }));
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
