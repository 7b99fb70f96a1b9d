import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CharacterConfig } from "@parley/shared";
import { Cast, MAX_SEATED, type CastStage } from "./Cast.js";
import { CharacterLibrary, LibraryError } from "../library/CharacterLibrary.js";
import { AvatarStore } from "../avatars/AvatarStore.js";
import { SqliteStore } from "../store/SqliteStore.js";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { REPO_ROOT } from "../config.js";

const dir = mkdtempSync(join(tmpdir(), "parley-cast-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const people = ["ada", "bea", "cid", "dov", "eli", "fay", "gus"].map((id) => CharacterConfig.parse({ id, name: id.toUpperCase(), persona: "Someone.", avatar: "ada.vrm" }));

function setup(): { cast: Cast; library: CharacterLibrary; saved: string[][] } {
  const store = SqliteStore.inMemory();
  const avatars = new AvatarStore((id) => library.get(id), join(REPO_ROOT, "assets", "avatars"), store, join(dir, "avatars"));
  const library: CharacterLibrary = new CharacterLibrary(people, store, avatars, ["ada.vrm"]);
  const saved: string[][] = [];
  return { cast: new Cast([people[0]!], new TableLanguage("en"), library, async (ids) => { saved.push(ids); }), library, saved };
}

/** An open table's stage that records what it is asked to show; people sit at `places`. */
function stage(calls: string[], places: number[] = []): CastStage {
  return {
    peoplePlaces: () => places,
    seated: (c, place) => calls.push(`seat ${c.id} at ${place}`),
    leaving: (id) => calls.push(`unseat ${id}`),
    left: (id) => calls.push(`gone ${id}`),
    changed: (id) => calls.push(`refresh ${id}`),
  };
}

describe("the cast", () => {
  it("seats up to six, refuses a seventh and one already there, and remembers who sat", async () => {
    const { cast, saved } = setup();
    for (const c of people.slice(1, MAX_SEATED)) cast.add(c.id);
    expect(cast.list.map((c) => c.id)).toEqual(["ada", "bea", "cid", "dov", "eli", "fay"]);
    expect(() => cast.add("gus")).toThrow(/the table is full \(6 characters\)/);
    expect(() => cast.add("bea")).toThrow(LibraryError);
    expect(() => cast.add("nobody")).toThrow(/no character "nobody"/);
    await cast.flushed();
    expect(saved.at(-1)).toEqual(["ada", "bea", "cid", "dov", "eli", "fay"]);
  });

  it("with the table open, a character takes a free place and leaves only when its goodbye is over; edits reach the seated view", async () => {
    const { cast, library } = setup();
    const calls: string[] = [];
    const close = cast.open(stage(calls, [0]));
    expect(cast.placeOf("ada")).toBe(4);
    const view = cast.add("bea");
    expect(calls).toEqual(["seat bea at 5"]);
    await library.save("bea", { ...library.get("bea")!, name: "Beatrice", voice: { provider: "espeak", voice: "en-us+m3", speed: 1, pitch: 50 } });
    expect(view.name).toBe("Beatrice");
    expect(view.voice).toMatchObject({ voice: "en-us+m3" });
    expect(calls).toContain("refresh bea");
    expect(cast.remove("bea")).toBe(false);
    expect(calls).toContain("unseat bea");
    expect(cast.isSeated("bea")).toBe(false);
    expect(cast.seated.map((c) => c.id)).toEqual(["ada"]);
    expect(cast.get("bea")).toBe(view);
    expect(() => cast.add("bea")).toThrow(/still saying goodbye/);
    cast.left("bea");
    expect(calls.at(-1)).toBe("gone bea");
    expect(cast.get("bea")).toBeUndefined();
    // a goodbye cut short by the table closing still ends
    cast.add("cid");
    cast.remove("cid");
    close();
    expect(cast.get("cid")).toBeUndefined();
    // without the table open here, a character leaves at once
    cast.add("dov");
    expect(cast.remove("dov")).toBe(true);
    expect(cast.get("dov")).toBeUndefined();
  });

  it("follows a cast stored through another process: seats and unseats with the table open, only catches up without it, and corrects what cannot sit", async () => {
    const { cast, saved } = setup();
    cast.follow(["ada", "bea", "cid"]);
    expect(cast.list.map((c) => c.id)).toEqual(["ada", "bea", "cid"]);
    // catching up is not a change of its own: nothing is saved
    await cast.flushed();
    expect(saved).toEqual([]);
    const calls: string[] = [];
    // the characters sit at 3, 4 and 5; people take four of the other five places: one is free
    cast.open(stage(calls, [0, 1, 7, 2]));
    cast.follow(["ada", "cid", "dov", "eli"]);
    // bea says goodbye, dov takes the one free place, eli finds none and the stored cast is corrected
    expect(calls).toEqual(["unseat bea", "seat dov at 6"]);
    await cast.flushed();
    expect(saved.at(-1)).toEqual(["ada", "cid", "dov"]);
    cast.left("bea");
    await cast.flushed();
    expect(saved.at(-1)).toEqual(["ada", "cid", "dov"]);
    // the same cast again changes nothing
    const count = saved.length;
    cast.follow(["ada", "cid", "dov"]);
    await cast.flushed();
    expect(saved.length).toBe(count);
  });
});
