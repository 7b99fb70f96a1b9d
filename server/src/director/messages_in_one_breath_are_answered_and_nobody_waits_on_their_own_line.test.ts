/**
 * People's messages can arrive in one breath (two people finishing at once, or
 * one sending twice): each cuts the answer before it off, possibly before that
 * answer has even started writing, and the last one is answered. A reply waits
 * for the lines cut off before it began to settle to what was heard, never for
 * its own line or a later one, so the table never hangs.
 */
import { describe, it, expect, afterEach } from "vitest";
import { createHarness, type Harness } from "../testing/directorHarness.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

describe("messages in one breath", () => {
  it("are each taken, the last is answered, and every cut answer settles", async () => {
    h = createHarness();
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Ada, hello.");
    h.director.onPersonMessage({ id: "eve", name: "Eve" }, "Theo, hello.");
    h.director.onPersonMessage({ id: "sam", name: "Sam" }, "Juno, hello.");
    await h.until(() => h.events.some((e) => e.type === "end" && e.characterId === "juno"), 10_000, "Juno's answer");
    // the answers cut before they said a word show nothing; the table is quiet again and can be closed
    expect(h.events.filter((e) => e.type === "start").map((e) => e.characterId)).toEqual(["juno"]);
    await h.until(() => h.director.state === "idle", 5000, "a quiet table");
    const closing = h.director.dispose();
    const closed = await Promise.race([closing.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    expect(closed).toBe(true);
  });
});
