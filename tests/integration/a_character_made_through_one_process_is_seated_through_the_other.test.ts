/**
 * Two Parley processes on one Redis and one PostgreSQL, each with a data dir
 * of its own: a character imported through one (a CHARX with its own VRM) is
 * listed, served and seated at a table through the other; an avatar a person
 * uploads through one is worn at a table living in the other; the studio's
 * edits and avatar uploads through one reach that table live; and seating or
 * unseating through the process a table does not live in happens at once in
 * the one it lives in (a greeting, a goodbye), not at its next opening.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { ParleyProcess } from "../support/parleyProcess.js";
import { startTwoProcesses, type TwoProcesses } from "../support/twoProcesses.js";
import { until, view } from "../support/messages.js";
import { charx, v3Card } from "../support/cards.js";
import { toVrm0 } from "../support/vrm0.js";
import { REPO_ROOT } from "../../server/src/config.js";

let both: TwoProcesses | undefined;
let a: ParleyProcess;
let b: ParleyProcess;
beforeAll(async () => { both = await startTwoProcesses(); ({ a, b } = both); }, 120_000);
afterAll(async () => { await both?.stop(); });

const asset = (name: string): Uint8Array => new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", name)));
const json = { "content-type": "application/json" };
const bytesAt = async (url: string): Promise<Buffer> => {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

describe("two processes with data dirs of their own", () => {
  it("a character made through one is listed, served and seated at a table through the other, and edits reach it live", async () => {
    // a card with a VRM of its own, imported through A
    const vrm = toVrm0(asset("noa.vrm"));
    const card = charx(v3Card("Мира", {}, { first_mes: "Hello, I am {{char}}." }), { "assets/other/3d/mira.vrm": vrm });
    const imported = await fetch(`${a.url}/api/characters/import`, { method: "POST", headers: { "content-type": "application/zip" }, body: Buffer.from(card) });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const { id } = (await imported.json()) as { id: string };

    // B lists it with its own VRM, and serves that VRM byte for byte
    const listed = (await (await fetch(`${b.url}/api/characters`)).json()) as { characters: { character: { id: string; name: string }; ownAvatar: boolean }[] };
    expect(listed.characters.find((e) => e.character.id === id)).toMatchObject({ character: { name: "Мира" }, ownAvatar: true });
    expect(Buffer.compare(await bytesAt(`${b.url}/avatars/character/${id}`), Buffer.from(vrm))).toBe(0);

    // a person's own avatar uploaded through A
    const up = await fetch(`${a.url}/api/avatars/person`, { method: "POST", body: Buffer.from(asset("kenji.vrm")) });
    expect(up.status).toBe(201);
    const { avatarUrl: mine } = (await up.json()) as { avatarUrl: string };

    // a table made through B lives in B; the character is seated there through B, and greets
    const made = await fetch(`${b.url}/api/tables`, { method: "POST", headers: json, body: JSON.stringify({ name: "Across", characters: ["ada"], language: "en" }) });
    expect(made.status).toBe(201);
    const table = ((await made.json()) as { id: string }).id;
    const room: Room = await new Client(b.url.replace(/^http/, "ws")).joinById(table, { name: "Sam", avatarUrl: mine });
    room.onMessage("*", () => {});
    await until(() => !!view(room).people?.[room.sessionId], 10_000, "Sam at the table");
    expect(view(room).people[room.sessionId]!.avatarUrl).toBe(mine);
    expect(Buffer.compare(await bytesAt(b.url + mine), Buffer.from(asset("kenji.vrm")))).toBe(0);

    const seated = await fetch(`${b.url}/api/tables/${table}/characters`, { method: "POST", headers: json, body: JSON.stringify({ id }) });
    expect(seated.status, await seated.clone().text()).toBe(201);
    await until(() => !!view(room).characters[id], 10_000, "Мира in the room's state");
    const url = view(room).characters[id]!.avatarUrl;
    expect(Buffer.compare(await bytesAt(b.url + url), Buffer.from(vrm))).toBe(0);
    await until(() => view(room).transcript.some((l) => l.speakerId === id && l.done), 30_000, "Мира's greeting");

    // the studio through A: a new name and a new avatar reach the table living in B without a reopening
    const before = (await (await fetch(`${a.url}/api/characters/${id}`)).json()) as Record<string, unknown>;
    const saved = await fetch(`${a.url}/api/characters/${id}`, { method: "PUT", headers: json, body: JSON.stringify({ ...before, name: "Mira" }) });
    expect(saved.status, await saved.clone().text()).toBe(200);
    await until(() => view(room).characters[id]?.name === "Mira", 10_000, "the new name at the table");
    const other = toVrm0(asset("lena.vrm"));
    expect((await fetch(`${a.url}/api/avatars/${id}`, { method: "PUT", body: Buffer.from(other) })).status).toBe(200);
    await until(() => view(room).characters[id]!.avatarUrl !== url, 10_000, "the new avatar at the table");
    expect(Buffer.compare(await bytesAt(b.url + view(room).characters[id]!.avatarUrl), Buffer.from(other))).toBe(0);
    await room.leave();
  }, 180_000);

  it("a character seated and sent away through the process a table does not live in sits down and leaves there at once", async () => {
    const made = await fetch(`${a.url}/api/tables`, { method: "POST", headers: json, body: JSON.stringify({ name: "Lives in A", characters: ["ada"], language: "en" }) });
    const table = ((await made.json()) as { id: string }).id;
    const room: Room = await new Client(a.url.replace(/^http/, "ws")).joinById(table, { name: "Kim" });
    room.onMessage("*", () => {});
    await until(() => !!view(room).characters?.ada, 10_000, "the table in A");
    // made through B, seated through B, at the table living in A
    const imported = await fetch(`${b.url}/api/characters/import`, { method: "POST", headers: json, body: JSON.stringify(v3Card("Оля", {}, { first_mes: "Hi, I am {{char}}." })) });
    const { id } = (await imported.json()) as { id: string };
    const seated = await fetch(`${b.url}/api/tables/${table}/characters`, { method: "POST", headers: json, body: JSON.stringify({ id }) });
    expect(seated.status, await seated.clone().text()).toBe(201);
    await until(() => !!view(room).characters[id], 10_000, "Оля at the table in A");
    await until(() => view(room).transcript.some((l) => l.speakerId === id && l.done), 30_000, "Оля's greeting in A");
    expect(((await (await fetch(`${a.url}/api/tables/${table}/characters`)).json()) as { characters: string[] }).characters).toEqual(["ada", id]);

    // sent away through B: she says goodbye at the table in A and leaves; both processes then see the cast without her
    const lines = view(room).transcript.filter((l) => l.speakerId === id).length;
    expect((await fetch(`${b.url}/api/tables/${table}/characters/${id}`, { method: "DELETE" })).status).toBeLessThan(300);
    await until(() => !view(room).characters[id], 30_000, "Оля gone from the table in A");
    expect(view(room).transcript.filter((l) => l.speakerId === id).length).toBeGreaterThan(lines);
    for (const p of [a, b]) {
      await until(async () => ((await (await fetch(`${p.url}/api/tables/${table}/characters`)).json()) as { characters: string[] }).characters.join() === "ada", 10_000, `the cast through ${p.port}`);
    }
    await room.leave();
  }, 120_000);
});
