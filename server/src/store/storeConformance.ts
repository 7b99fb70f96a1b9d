/**
 * The conformance suite every store passes (embedded SQLite, and any server
 * database): what a table keeps, read back the same way, across a reopen.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { Store } from "./Store.js";
import { AvatarBytesError, avatarRecord } from "./libraryRows.js";

export interface StoreFactory {
  /** a store over fresh, empty storage */
  fresh(): Promise<Store>;
  /** the same storage opened again (after the last store was closed) */
  reopen(): Promise<Store>;
}

let seq = 0;
export function line(text: string, o: Partial<LogEntry> = {}): LogEntry {
  seq++;
  return { id: `l${seq}-${Math.random().toString(36).slice(2, 8)}`, kind: "person", speakerId: "s1", speakerName: "Sam", text, heardText: text, interrupted: false, error: "", done: true, addressee: "", at: 1_700_000_000_000 + seq, ...o };
}

export function describeStore(name: string, factory: StoreFactory): void {
  describe(`${name} store`, () => {
    let store: Store;
    beforeEach(async () => { store = await factory.fresh(); });
    afterEach(async () => { await store.close(); });

    it("keeps each table's lines apart, in order, and updates a line in place", async () => {
      const a1 = line("Hello, Ada!");
      const a2 = line("Привет, Тео! 你好，朱诺！ 🎉", { kind: "character", speakerId: "ada", speakerName: "Ada" });
      const b1 = line("Another table.");
      await store.saveLine("main", a1, "p1");
      await store.saveLine("main", a2, null);
      await store.saveLine("other", b1, "p1");
      await store.saveLine("main", { ...a2, heardText: "Привет", interrupted: true }, null);
      const main = await store.recentLines("main", 10);
      expect(main.map((l) => l.id)).toEqual([a1.id, a2.id]);
      expect(main[1]).toMatchObject({ text: a2.text, heardText: "Привет", interrupted: true, kind: "character", speakerName: "Ada", done: true });
      expect((await store.recentLines("main", 1)).map((l) => l.id)).toEqual([a2.id]);
      expect((await store.allLines("other")).map((l) => l.text)).toEqual(["Another table."]);
      expect(await store.allLines("nobody")).toEqual([]);
    });

    it("remembers facts and summaries per character and person, and forgets them", async () => {
      const f1 = await store.addFact("ada", "p1", "likes tea");
      await store.addFact("ada", "p1", "lives in Riga");
      await store.addFact("theo", "p1", "plays chess");
      await store.addFact("ada", "p2", "someone else");
      expect((await store.facts("ada", "p1")).map((f) => f.text)).toEqual(["likes tea", "lives in Riga"]);
      expect(await store.forget("ada", "p1", f1)).toBe(1);
      expect((await store.facts("ada", "p1")).map((f) => f.text)).toEqual(["lives in Riga"]);
      expect(await store.forget("ada", "p1")).toBe(1);
      expect(await store.facts("ada", "p1")).toEqual([]);
      expect((await store.facts("theo", "p1")).map((f) => f.text)).toEqual(["plays chess"]);
      await store.addSummary("ada", ["p1", "p2"], "We talked about tea.");
      await new Promise((r) => setTimeout(r, 5));
      await store.addSummary("ada", ["p2"], "Only p2 was there.");
      expect((await store.summaries("ada", 10)).map((s) => s.text)).toEqual(["Only p2 was there.", "We talked about tea."]);
      expect((await store.summaries("ada", 10, "p1")).map((s) => s.people)).toEqual([["p1", "p2"]]);
      expect(await store.summaries("ada", 1)).toHaveLength(1);
    });

    it("forgets a person everywhere: their lines, their name, facts, summaries and record", async () => {
      await store.seePerson("p1", "Sam");
      await store.saveLine("main", line("My secret is blue."), "p1");
      const reply = line("Sam, blue is nice. Samuel agrees.", { kind: "character", speakerId: "ada", speakerName: "Ada", addressee: "s1" });
      await store.saveLine("main", reply, null);
      const elsewhere = line("Sam was here.");
      await store.saveLine("unrelated", elsewhere, "p9");
      await store.addFact("ada", "p1", "likes blue");
      await store.addFact("ada", "p2", "likes red");
      await store.addSummary("ada", ["p1"], "Sam told a secret.");
      await store.addSummary("ada", ["p2"], "Someone else.");
      const report = await store.forgetPerson("p1", "someone");
      expect(report).toEqual({ lines: 1, redacted: 1, facts: 1, summaries: 1 });
      const left = await store.allLines("main");
      expect(left.map((l) => l.text)).toEqual(["someone, blue is nice. Samuel agrees."]);
      expect(await store.facts("ada", "p1")).toEqual([]);
      expect((await store.facts("ada", "p2")).map((f) => f.text)).toEqual(["likes red"]);
      expect((await store.summaries("ada", 10)).map((s) => s.text)).toEqual(["Someone else."]);
      // another table where the person never spoke keeps its text
      expect((await store.allLines("unrelated")).map((l) => l.text)).toEqual(["Sam was here."]);
    });

    it("keeps tables (cast, language, invite, settings) and named values", async () => {
      const t = { id: "t1", name: "Чай и разговоры 茶", characters: ["ada", "theo"], language: "ru" as const, invite: "tok-1", settings: { everyoneTalks: true }, createdAt: 1 };
      await store.saveTable(t);
      await store.saveTable({ ...t, id: "t2", name: "Second", createdAt: 2 });
      expect(await store.table("t1")).toEqual(t);
      expect(await store.table("nope")).toBeNull();
      await store.saveTable({ ...t, invite: "tok-2", settings: { everyoneTalks: false, policy: "list" } });
      expect(await store.table("t1")).toMatchObject({ invite: "tok-2", settings: { everyoneTalks: false, policy: "list" }, createdAt: 1 });
      expect((await store.tables()).map((x) => x.id)).toEqual(["t1", "t2"]);
      expect(await store.value("host-token")).toBeNull();
      await store.setValue("host-token", "abc");
      await store.setValue("host-token", "def");
      expect(await store.value("host-token")).toBe("def");
    });

    it("keeps the user's characters, replaces and deletes them", async () => {
      const eve = { id: "eve", name: "Ева 伊芙", persona: "Curious.", lorebook: [{ keys: ["tea"], content: "oolong" }], voice: { provider: "espeak", voice: "en-us+f3" } };
      await store.saveCharacter({ id: "eve", config: eve, updatedAt: 5 });
      await store.saveCharacter({ id: "abe", config: { id: "abe", name: "Abe" }, updatedAt: 6 });
      expect(await store.character("eve")).toEqual({ id: "eve", config: eve, updatedAt: 5 });
      expect(await store.character("nobody")).toBeNull();
      await store.saveCharacter({ id: "eve", config: { ...eve, name: "Eve" }, updatedAt: 7 });
      expect(await store.character("eve")).toMatchObject({ config: { name: "Eve", lorebook: eve.lorebook }, updatedAt: 7 });
      expect((await store.characters()).map((c) => c.id)).toEqual(["abe", "eve"]);
      expect(await store.deleteCharacter("abe")).toBe(true);
      expect(await store.deleteCharacter("abe")).toBe(false);
      expect((await store.characters()).map((c) => c.id)).toEqual(["eve"]);
    });

    it("keeps uploaded avatars' records and bytes, and refuses bytes that do not match their record", async () => {
      // every byte value, and a few MiB: what a VRM looks like to the database
      const big = new Uint8Array(3 * 2 ** 20 + 7).map((_, i) => (i * 31 + (i >> 11)) & 0xff);
      const own = avatarRecord("own/eve", "Eve", "eve", big, 10);
      await store.saveAvatar(own, big);
      const small = new Uint8Array([0, 255, 1, 254, 0]);
      await store.saveAvatar(avatarRecord("person/x", "", "people", small, 11), small);
      expect(await store.avatar("own/eve")).toEqual(own);
      expect(own).toMatchObject({ size: big.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(Buffer.compare(Buffer.from((await store.avatarBytes("own/eve"))!), Buffer.from(big))).toBe(0);
      expect(Array.from((await store.avatarBytes("person/x"))!)).toEqual([0, 255, 1, 254, 0]);
      expect(await store.avatar("nope")).toBeNull();
      expect(await store.avatarBytes("nope")).toBeNull();
      await expect(store.saveAvatar(own, small)).rejects.toBeInstanceOf(AvatarBytesError);
      const replaced = avatarRecord("own/eve", "Eve", "eve", small, 12);
      await store.saveAvatar(replaced, small);
      expect(await store.avatar("own/eve")).toEqual(replaced);
      expect((await store.avatars()).map((a) => a.id)).toEqual(["own/eve", "person/x"]);
      expect(await store.deleteAvatar("own/eve")).toBe(true);
      expect(await store.deleteAvatar("own/eve")).toBe(false);
      expect(await store.avatarBytes("own/eve")).toBeNull();
    });

    it("keeps everything across a reopen", async () => {
      const l1 = line("Remember me.");
      await store.seePerson("p1", "Sam");
      await store.saveLine("main", l1, "p1");
      await store.addFact("ada", "p1", "remembered");
      await store.saveCharacter({ id: "eve", config: { id: "eve", name: "Eve" }, updatedAt: 1 });
      const vrm = new Uint8Array([103, 108, 84, 70, 2, 0, 0, 0]);
      await store.saveAvatar(avatarRecord("own/eve", "Eve", "eve", vrm), vrm);
      await store.close();
      store = await factory.reopen();
      expect((await store.allLines("main")).map((l) => l.id)).toEqual([l1.id]);
      expect((await store.facts("ada", "p1")).map((f) => f.text)).toEqual(["remembered"]);
      expect((await store.character("eve"))?.config).toEqual({ id: "eve", name: "Eve" });
      expect(Array.from((await store.avatarBytes("own/eve"))!)).toEqual(Array.from(vrm));
    });
  });
}
