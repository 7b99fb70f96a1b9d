import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { REPO_ROOT } from "../../server/src/config.js";
import { TABLE_PLACES, PEOPLE_LIMITS, NO_SEAT, type ErrorPayload } from "../../shared/src/index.js";

let app: Booted;
beforeAll(async () => {
  // a recognizer, so a person's speech:start marks them as speaking
  app = await boot({}, { asr: new FakeAsr({ script: ["hello"], msPerWord: 100 }) });
});
afterAll(async () => { await app?.stop(); });

const errorsOf = (log: MessageLog): ErrorPayload[] => log.of<ErrorPayload>("error");
/** waits until earlier messages are surely out of the server's sliding window (their delivery took some ms too) */
const pastTheWindow = (windowMs: number): Promise<void> => new Promise((r) => setTimeout(r, windowMs + 500));
const frames = (log: MessageLog): number[][] => log.all.filter((r) => r.type === "person:visemes").map((r) => [...(r.payload as Uint8Array)]);

describe("people at the table", () => {
  it("take free places in one ring of eight shared with the characters; past eight they watch, and take the next place set free", async () => {
    const first = await app.join("P1");
    const characterSeats = Object.values(view(first).characters).map((c) => c.seat);
    expect(characterSeats).toHaveLength(3);
    const people: Room[] = [first];
    for (let i = 2; i <= TABLE_PLACES - 3; i++) people.push(await app.join(`P${i}`));
    await until(() => Object.keys(view(first).people).length === TABLE_PLACES - 3, 5000, "everyone seated");
    const personSeats = Object.values(view(first).people).map((p) => p.seat);
    const all = [...characterSeats, ...personSeats];
    expect(new Set(all).size).toBe(TABLE_PLACES);
    expect(all.every((s) => Number.isInteger(s) && s >= 0 && s < TABLE_PLACES)).toBe(true);

    // the ring is full: the next person watches without a place, and no face of theirs is relayed
    const watcher = await app.join("Watcher");
    const firstLog = new MessageLog(first);
    await until(() => view(first).people[watcher.sessionId] !== undefined, 5000, "the watcher in the room");
    expect(view(first).people[watcher.sessionId]!.seat).toBe(NO_SEAT);
    const watcherLog = new MessageLog(watcher);
    watcher.sendBytes("person:visemes", new Uint8Array([255, 0, 0, 0, 0]));
    // (a refused pose after it: once its error is back, the server has handled the frame)
    watcher.send("person:head", { yaw: 9, pitch: 0 });
    await watcherLog.waitForType("error");

    // a place set free goes to the one who watched
    const leaving = people.pop()!;
    const freed = view(leaving).people[leaving.sessionId]!.seat;
    await leaving.leave();
    await until(() => view(first).people[watcher.sessionId]?.seat === freed, 5000, "the watcher seated in the freed place");
    expect(firstLog.all.filter((r) => r.type === "person:visemes")).toHaveLength(0);
    await Promise.all([...people, watcher].map((r) => r.leave()));
  });

  it("wear a cast avatar nobody else wears, or pick one, or bring their own VRM", async () => {
    const cast = (await (await fetch(`${app.parley.url}/api/avatars/cast`)).json()) as { name: string; avatarUrl: string }[];
    expect(cast.map((c) => c.name)).toEqual(expect.arrayContaining(["ada", "mira", "noa"]));
    const a = await app.join("Ava");
    const b = await app.join("Bo", { avatarUrl: "/avatars/cast/noa.vrm" });
    const aLog = new MessageLog(a);
    await until(() => view(a).people[b.sessionId] !== undefined, 3000, "both seated");
    const mine = view(a).people[a.sessionId]!.avatarUrl;
    // not a character's, not another person's
    expect(cast.map((c) => c.avatarUrl)).toContain(mine);
    expect(["ada", "theo", "juno"].map((n) => `/avatars/cast/${n}.vrm`)).not.toContain(mine);
    expect(view(a).people[b.sessionId]!.avatarUrl).toBe("/avatars/cast/noa.vrm");
    const served = new Uint8Array(await (await fetch(app.parley.url + mine)).arrayBuffer());
    expect(Buffer.compare(Buffer.from(served), readFileSync(join(REPO_ROOT, "assets", "avatars", mine.split("/").pop()!)))).toBe(0);

    // their own VRM: validated like a character's upload, then worn and seen by everyone
    const bad = await fetch(`${app.parley.url}/api/avatars/person`, { method: "POST", body: new Uint8Array(64).fill(3) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not a VRM file/);
    const up = await fetch(`${app.parley.url}/api/avatars/person`, { method: "POST", body: readFileSync(join(REPO_ROOT, "assets", "avatars", "kenji.vrm")) });
    expect(up.status).toBe(201);
    const { avatarUrl } = (await up.json()) as { avatarUrl: string };
    expect(avatarUrl).toMatch(/^\/avatars\/person\/[0-9a-f]{64}\.vrm$/);
    a.send("person:avatar", { avatarUrl });
    await until(() => view(b).people[a.sessionId]?.avatarUrl === avatarUrl, 3000, "the new avatar for everyone");
    expect((await fetch(app.parley.url + avatarUrl)).status).toBe(200);

    // URLs the server never handed out are refused
    a.send("person:avatar", { avatarUrl: "https://evil.example/x.vrm" });
    a.send("person:avatar", { avatarUrl: `/avatars/person/${"0".repeat(64)}.vrm` });
    await until(() => errorsOf(aLog).length === 2, 3000, "two refusals");
    expect(errorsOf(aLog).map((e) => e.code)).toEqual(["bad_message", "bad_message"]);
    expect(view(b).people[a.sessionId]!.avatarUrl).toBe(avatarUrl);
    await Promise.all([a.leave(), b.leave()]);
  });

  it("share where they look as validated, rate-limited state", async () => {
    const a = await app.join("Ava");
    const b = await app.join("Bo");
    const aLog = new MessageLog(a);
    a.send("person:head", { yaw: 0.4, pitch: -0.2 });
    // state numbers travel as float32
    await until(() => Math.abs((view(b).people[a.sessionId]?.head.yaw ?? 0) - 0.4) < 1e-6, 3000, "head pose seen by the other");
    expect(view(b).people[a.sessionId]!.head.pitch).toBeCloseTo(-0.2);

    for (const bad of [{ yaw: 9, pitch: 0 }, { yaw: "left", pitch: 0 }, { yaw: 0.1 }, { yaw: 0, pitch: 0, roll: 1 }]) a.send("person:head", bad);
    await until(() => errorsOf(aLog).length === 4, 3000, "an error per bad pose");
    // (an out-of-range number is "too big", as everywhere in the room)
    expect(errorsOf(aLog).map((e) => e.code)).toEqual(["too_long", "bad_message", "bad_message", "bad_message"]);
    expect(errorsOf(aLog)[0]!.message).toMatch(/^yaw:/);
    expect(view(b).people[a.sessionId]!.head.yaw).toBeCloseTo(0.4, 6);

    // a flood: the first ones of the window count, then one "too fast" and silence
    await pastTheWindow(PEOPLE_LIMITS.headWindowMs);
    for (let i = 0; i < 60; i++) a.send("person:head", { yaw: i / 100, pitch: 0 });
    await until(() => errorsOf(aLog).some((e) => e.code === "too_fast"), 3000, "too fast");
    await new Promise((r) => setTimeout(r, 300));
    expect(errorsOf(aLog).filter((e) => e.code === "too_fast")).toHaveLength(1);
    expect(view(b).people[a.sessionId]!.head.yaw).toBeCloseTo((PEOPLE_LIMITS.headBurst - 1) / 100, 6);
    await Promise.all([a.leave(), b.leave()]);
  });

  it("relay mouth frames to everyone else at once, validated and rate-limited", async () => {
    const a = await app.join("Ava");
    const b = await app.join("Bo");
    const c = await app.join("Cy");
    const [aLog, bLog, cLog] = [a, b, c].map((r) => new MessageLog(r)) as [MessageLog, MessageLog, MessageLog];
    const seatA = view(a).people[a.sessionId]!.seat;
    a.sendBytes("person:visemes", new Uint8Array([255, 0, 40, 0, 0]));
    await until(() => frames(bLog).length === 1 && frames(cLog).length === 1, 3000, "the frame at both others");
    expect(frames(bLog)[0]).toEqual([seatA, 255, 0, 40, 0, 0]);
    expect(frames(cLog)[0]).toEqual([seatA, 255, 0, 40, 0, 0]);

    a.sendBytes("person:visemes", new Uint8Array([1, 2, 3]));
    await until(() => errorsOf(aLog).length === 1, 3000, "a refusal");
    expect(errorsOf(aLog)[0]!.code).toBe("bad_message");

    // a flood within one window: at most the burst gets through, and one "too fast"
    await pastTheWindow(PEOPLE_LIMITS.visemeWindowMs);
    const before = frames(bLog).length;
    for (let i = 0; i < 80; i++) a.sendBytes("person:visemes", new Uint8Array([i, 0, 0, 0, 0]));
    await until(() => errorsOf(aLog).some((e) => e.code === "too_fast"), 3000, "too fast");
    await new Promise((r) => setTimeout(r, 300));
    expect(frames(bLog).length - before).toBe(PEOPLE_LIMITS.visemeBurst);
    expect(frames(aLog)).toHaveLength(0);
    await Promise.all([a.leave(), b.leave(), c.leave()]);
  });

  it("turn every character toward a person who speaks, and back when they stop", async () => {
    const a = await app.join("Ava");
    a.send("speech:start", {});
    await until(() => Object.values(view(a).characters).every((ch) => ch.lookAt === a.sessionId), 3000, "everyone looking at the speaker");
    expect(view(a).people[a.sessionId]!.speaking).toBe(true);
    a.send("speech:cancel", {});
    await until(() => Object.values(view(a).characters).every((ch) => ch.lookAt === ""), 3000, "gaze back to the table");
    await a.leave();
  });
});
