import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CharacterConfig } from "@parley/shared";
import { LiveCast, MAX_SEATED, type SeatingRoom } from "./LiveCast.js";
import { CharacterLibrary, LibraryError } from "../library/CharacterLibrary.js";
import { AvatarStore } from "../avatars/AvatarStore.js";
import { SqliteStore } from "../store/SqliteStore.js";
import { TableCast } from "../i18n/TableCast.js";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { REPO_ROOT } from "../config.js";

const dir = mkdtempSync(join(tmpdir(), "parley-livecast-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const people = ["ada", "bea", "cid", "dov", "eli", "fay", "gus"].map((id) => CharacterConfig.parse({ id, name: id.toUpperCase(), persona: "Someone.", avatar: "ada.vrm" }));

function setup(): { cast: TableCast; live: LiveCast; library: CharacterLibrary; saved: string[][] } {
  const store = SqliteStore.inMemory();
  const avatars = new AvatarStore((id) => library.get(id), join(REPO_ROOT, "assets", "avatars"), store, join(dir, "avatars"));
  const library: CharacterLibrary = new CharacterLibrary(people, store, avatars, ["ada.vrm"]);
  const cast = new TableCast([people[0]!], new TableLanguage("en"));
  const saved: string[][] = [];
  return { cast, live: new LiveCast(cast, library, async (ids) => { saved.push(ids); }), library, saved };
}

describe("the live cast", () => {
  it("seats up to six, refuses a seventh and one already there, and remembers who sat", async () => {
    const { live, cast, saved } = setup();
    for (const c of people.slice(1, MAX_SEATED)) live.add(c.id);
    expect(cast.list.map((c) => c.id)).toEqual(["ada", "bea", "cid", "dov", "eli", "fay"]);
    expect(() => live.add("gus")).toThrow(/the table is full \(6 characters\)/);
    expect(() => live.add("bea")).toThrow(LibraryError);
    expect(() => live.add("nobody")).toThrow(/no character "nobody"/);
    await live.flushed();
    expect(saved.at(-1)).toEqual(["ada", "bea", "cid", "dov", "eli", "fay"]);
  });

  it("with a room open, a character leaves only when its goodbye is over; edits reach the seated view", async () => {
    const { live, cast, library } = setup();
    const calls: string[] = [];
    const room: SeatingRoom = { hasPlace: () => true, seat: (c) => calls.push(`seat ${c.id}`), unseat: (id) => calls.push(`unseat ${id}`), refresh: (id) => calls.push(`refresh ${id}`) };
    const detach = live.attach(room);
    const view = live.add("bea");
    expect(calls).toEqual(["seat bea"]);
    await library.save("bea", { ...library.get("bea")!, name: "Beatrice", voice: { provider: "espeak", voice: "en-us+m3", speed: 1, pitch: 50 } });
    expect(view.name).toBe("Beatrice");
    expect(view.voice).toMatchObject({ voice: "en-us+m3" });
    expect(calls).toContain("refresh bea");
    expect(live.remove("bea")).toBe(false);
    expect(calls).toContain("unseat bea");
    expect(live.seated("bea")).toBe(false);
    expect(cast.get("bea")).toBe(view);
    expect(() => live.add("bea")).toThrow(/still saying goodbye/);
    live.left("bea");
    expect(cast.get("bea")).toBeUndefined();
    // a goodbye cut short by the room closing still ends
    live.add("cid");
    live.remove("cid");
    detach();
    expect(cast.get("cid")).toBeUndefined();
    // without a room, a character leaves at once
    live.add("dov");
    expect(live.remove("dov")).toBe(true);
    expect(cast.get("dov")).toBeUndefined();
  });

  it("follows a cast stored through another process: seats and unseats with a room, only catches up without one, and corrects what cannot sit", async () => {
    const { live, cast, saved } = setup();
    live.follow(["ada", "bea", "cid"]);
    expect(cast.list.map((c) => c.id)).toEqual(["ada", "bea", "cid"]);
    // catching up is not a change of its own: nothing is saved
    await live.flushed();
    expect(saved).toEqual([]);
    const calls: string[] = [];
    let places = 1;
    const room: SeatingRoom = { hasPlace: () => places > 0, seat: (c) => { places--; calls.push(`seat ${c.id}`); }, unseat: (id) => calls.push(`unseat ${id}`), refresh: () => {} };
    live.attach(room);
    live.follow(["ada", "cid", "dov", "eli"]);
    // bea says goodbye, dov takes the one free place, eli finds none and the stored cast is corrected
    expect(calls).toEqual(["unseat bea", "seat dov"]);
    await live.flushed();
    expect(saved.at(-1)).toEqual(["ada", "cid", "dov"]);
    live.left("bea");
    await live.flushed();
    expect(saved.at(-1)).toEqual(["ada", "cid", "dov"]);
    // the same cast again changes nothing
    const count = saved.length;
    live.follow(["ada", "cid", "dov"]);
    await live.flushed();
    expect(saved.length).toBe(count);
  });
});
