/**
 * The open table's cast on stage: each character in the state its pages see
 * (its place, name, colour and avatar), following the table's language, the
 * studio's edits and new avatars. A character seated while the table runs sits
 * down and greets through the director (every page loads its avatar); one sent
 * away says goodbye through it, and leaves the state when it is gone.
 */
import type { CharacterConfig } from "@parley/shared";
import { CharacterSchema, type RoomState } from "./state.js";
import type { Cast } from "./Cast.js";
import type { Director } from "../director/Director.js";
import type { AvatarUrls } from "./TableServices.js";

export interface CastShow {
  state: InstanceType<typeof RoomState>;
  cast: Cast;
  director: Pick<Director, "seat" | "unseat">;
  avatars: AvatarUrls;
  /** the places people sit at */
  people: () => Iterable<number>;
}

/** Opens the cast on the table's stage; returns the close. */
export function showCast(d: CastShow): () => void {
  const { state, cast, avatars } = d;
  const show = (c: CharacterConfig, seat: number): void => {
    state.characters.set(c.id, new CharacterSchema({ id: c.id, name: c.name, seat, avatarUrl: avatars.urlFor(c), color: c.color, state: "idle", emotion: "neutral", lookAt: "" }));
  };
  const close = cast.open({
    peoplePlaces: d.people,
    seated: (c, place) => { show(c, place); d.director.seat(c); },
    leaving: (id) => d.director.unseat(id),
    left: (id) => { state.characters.delete(id); },
    changed: (id) => {
      const c = cast.get(id);
      const s = state.characters.get(id);
      if (!c || !s) return;
      s.name = c.name;
      s.color = c.color;
      s.avatarUrl = avatars.urlFor(c);
    },
  });
  for (const c of cast.list) show(c, cast.placeOf(c.id));
  // the characters' names in the table's language
  const stopLanguage = cast.language.follow(() => {
    for (const c of cast.list) {
      const s = state.characters.get(c.id);
      if (s) s.name = c.name;
    }
  });
  // a new avatar uploaded for a character: everyone at the table reloads it
  const onAvatar = (id: string): void => {
    const c = cast.get(id);
    const s = state.characters.get(id);
    if (c && s) s.avatarUrl = avatars.urlFor(c);
  };
  avatars.on("changed", onAvatar);
  return () => { avatars.off("changed", onAvatar); stopLanguage(); close(); };
}
