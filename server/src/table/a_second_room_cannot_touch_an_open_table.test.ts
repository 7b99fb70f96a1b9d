/**
 * A table has one door at a time. A second room opened on it (a duplicate from
 * the matchmaker, or one whose creation failed) is refused before it can reach
 * anything, and its clean-up touches nothing: the running table keeps its cast,
 * its people and its voice, and a character seated meanwhile still greets
 * through the first room.
 */
import { describe, it, expect, afterEach } from "vitest";
import { CharacterConfig, ServerMessage, type UttStart } from "@parley/shared";
import { tableWithFakes, sitDown, FakeDoor, type TableHarness } from "../testing/tableHarness.js";
import { TableBusy } from "./TableDoor.js";

let h: TableHarness;
afterEach(async () => { await h?.close(); });

const MIRA = CharacterConfig.parse({ id: "mira", name: "Mira", persona: "A storyteller.", avatar: "mira.vrm", greeting: "Hello, all." });

describe("a table's door", () => {
  it("refuses a second room while one is open, and the second's clean-up cannot reach the table", async () => {
    h = await tableWithFakes({ library: [MIRA] });
    const closeFirst = h.table.attach(h.door);
    await sitDown(h, "s1", "Sam", "host");
    const second = new FakeDoor();
    expect(() => h.table.attach(second)).toThrow(TableBusy);
    // the table still runs through the first door: a character seated now sits down and greets there
    expect(h.table.cast.live).toBe(true);
    h.table.cast.add("mira");
    expect(h.table.state.characters.get("mira")?.seat).toBeGreaterThanOrEqual(0);
    await h.until(() => h.door.of<UttStart>(ServerMessage.uttStart).some((m) => m.characterId === "mira"), 10_000, "Mira's greeting");
    expect(second.said).toEqual([]);
    expect([...h.table.state.people.keys()]).toEqual(["s1"]);
    // the first room goes: its people leave, and the next room may open the table
    h.door.present.clear();
    closeFirst();
    expect(h.table.state.people.size).toBe(0);
    const closeSecond = h.table.attach(second);
    // closing a door twice, or a door no longer open, does nothing to the one open now
    closeFirst();
    second.present.add("s2");
    await sitDown({ ...h, door: second }, "s2", "Ann", "host");
    h.table.chat("s2", "Mira, a story please.");
    await h.until(() => second.of<UttStart>(ServerMessage.uttStart).some((m) => m.characterId === "mira" && m.addressee === "s2"), 10_000, "Mira answering through the second door");
    closeSecond();
  });
});
