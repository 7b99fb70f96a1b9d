/**
 * A server beyond loopback (forced with PARLEY_PRIVATE=1): nothing opens without
 * a table's invite, the host's token opens everything, guests cannot change a
 * table or read another table's things, tables keep their own histories, a full
 * table says so, and the host can mute, remove and re-invite.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeLlm } from "../../server/src/testing/FakeLlm.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import { testConfig } from "../support/boot.js";
import type { ErrorPayload, UttEnd } from "../../shared/src/index.js";

let app: Booted;
let host = "";
beforeAll(async () => {
  const llm = LlmHost.withProvider(testConfig(), new FakeLlm(() => "[happy] Nice to see you.", 1));
  app = await boot({ PARLEY_PRIVATE: "1" }, { llm, tts: new FakeTts({ msPerChar: 2 }) });
  host = app.parley.access.hostInvite;
});
afterAll(async () => { await app?.stop(); });

const api = (path: string, token?: string, init: RequestInit = {}): Promise<Response> =>
  fetch(app.parley.url + path, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const refusal = (p: Promise<unknown>): Promise<string> => p.then(() => "joined", (err: Error) => err.message);

async function newTable(name: string, characters: string[], language = "en"): Promise<{ id: string; url: string; invite: string }> {
  const res = await api("/api/tables", host, { method: "POST", body: JSON.stringify({ name, characters, language }), headers: { "content-type": "application/json" } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string; invite: string };
}

describe("a private server", () => {
  it("refuses a join without a token, with a wrong one and with a revoked one; the host's token makes the host", async () => {
    expect(await refusal(app.join("Nobody"))).toMatch(/private: open it with the invite link/);
    expect(await refusal(app.join("Wrong", { invite: "not-a-real-token" }))).toMatch(/not valid/);
    const t = await newTable("Book club", ["ada", "theo"]);
    expect(t.url).toMatch(new RegExp(`/t/${t.id}\\?invite=`));
    const guest = await app.join("Gina", { tableId: t.id, invite: t.invite });
    expect(view(guest).people[guest.sessionId]?.role).toBe("guest");
    expect(Object.keys(view(guest).characters).sort()).toEqual(["ada", "theo"]);
    const revoked = await api(`/api/tables/${t.id}/invite`, host, { method: "POST" });
    const fresh = (await revoked.json()) as { invite: string };
    expect(fresh.invite).not.toBe(t.invite);
    expect(await refusal(app.join("Late", { tableId: t.id, invite: t.invite }))).toMatch(/not valid/);
    const back = await app.join("Gina again", { tableId: t.id, invite: fresh.invite });
    expect(view(back).people[back.sessionId]?.role).toBe("guest");
    const owner = await app.join("Host", { invite: host });
    expect(view(owner).people[owner.sessionId]?.role).toBe("host");
  });

  it("lets only the host change settings, make tables, change avatars; guests read only their own table", async () => {
    const a = await newTable("Table A", ["juno"]);
    const b = await newTable("Table B", ["ada"]);
    const guest = await app.join("Guest", { tableId: a.id, invite: a.invite });
    const log = new MessageLog(guest);
    guest.send("settings", { everyoneTalks: true });
    const err = (await log.waitForType("error")).payload as ErrorPayload;
    expect(err).toMatchObject({ code: "forbidden" });
    expect(view(guest).settings.everyoneTalks).toBe(false);
    // HTTP: the guest's invite opens table A's things only
    expect((await api("/api/tables", undefined)).status).toBe(401);
    const mine = (await (await api("/api/tables", a.invite)).json()) as { role: string; tables: { id: string; invite?: string }[] };
    expect(mine.role).toBe("guest");
    expect(mine.tables.map((t) => t.id)).toEqual([a.id]);
    expect(mine.tables[0]!.invite).toBeUndefined();
    expect((await api(`/api/tables/${a.id}/transcript.md`, a.invite)).status).toBe(200);
    expect((await api(`/api/tables/${b.id}/transcript.md`, a.invite)).status).toBe(403);
    expect((await api(`/api/tables/${b.id}/transcript.md`, host)).status).toBe(200);
    expect((await api("/api/transcript.md")).status).toBe(403);
    expect((await api("/api/tables", a.invite, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(403);
    expect((await api("/api/avatars/ada", a.invite, { method: "DELETE" })).status).toBe(403);
    expect((await api("/api/avatars/ada", undefined, { method: "PUT", body: "x" })).status).toBe(401);
    expect((await api("/avatars/character/ada")).status).toBe(401);
    expect((await api("/avatars/character/ada", a.invite)).status).toBe(200);
    expect((await api(`/api/status?table=${b.id}`, a.invite)).status).toBe(403);
    // the character library and who sits where are the host's; a guest can still preview their table's voices
    const seat = (table: string, token?: string): Promise<Response> => api(`/api/tables/${table}/characters`, token, { method: "POST", body: JSON.stringify({ id: "theo" }), headers: { "content-type": "application/json" } });
    expect((await api("/api/characters", a.invite)).status).toBe(403);
    expect((await api("/api/characters")).status).toBe(401);
    expect((await api("/api/voices", a.invite)).status).toBe(403);
    expect((await seat(a.id, a.invite)).status).toBe(403);
    expect((await api("/studio", a.invite)).status).toBe(403);
    expect((await api(`/api/voices/preview?table=${a.id}&character=juno`, a.invite)).status).toBe(200);
    expect((await api("/api/characters", host)).status).toBe(200);
    expect((await seat(a.id, host)).status).toBe(201);
    await until(() => !!view(guest).characters.theo, 5000, "theo sits down at table A");
    await expect((await api(`/api/tables/${b.id}/characters`, host)).json()).resolves.toEqual({ characters: ["ada"] });
    // pages: a refusal page for a wrong invite, the client for a right one
    const refused = await fetch(`${app.parley.url}/t/${a.id}?invite=nope`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/invite link/);
    expect((await fetch(`${app.parley.url}/t/${a.id}?invite=${a.invite}`)).status).toBe(200);
    // the host changes things
    const owner = await app.join("Owner", { tableId: a.id, invite: host });
    owner.send("settings", { everyoneTalks: true });
    await until(() => view(guest).settings.everyoneTalks, 3000, "the host's change reaches the guest");
  });

  it("keeps each table's history, transcript and settings apart, across a reopen", async () => {
    const a = await newTable("Morning", ["ada"]);
    const b = await newTable("Evening", ["theo"], "ru");
    const pa = await app.join("Pat", { tableId: a.id, invite: a.invite });
    const pb = await app.join("Bo", { tableId: b.id, invite: b.invite });
    const la = new MessageLog(pa);
    const lb = new MessageLog(pb);
    pa.send("chat", { text: "Ada, good morning!" });
    pb.send("chat", { text: "Тео, добрый вечер!" });
    await la.waitFor((r) => r.type === "utt:end" && (r.payload as UttEnd).text.length > 0, 10_000, "Ada");
    await lb.waitFor((r) => r.type === "utt:end", 10_000, "Theo");
    expect(view(pa).transcript.map((l) => l.text)).not.toContain("Тео, добрый вечер!");
    expect(view(pb).transcript.map((l) => l.text)).not.toContain("Ada, good morning!");
    expect(view(pb).settings.language).toBe("ru");
    const ta = await (await api(`/api/tables/${a.id}/transcript.md`, host)).text();
    expect(ta).toContain("good morning");
    expect(ta).not.toContain("добрый вечер");
    const owner = await app.join("Owner", { tableId: b.id, invite: host });
    owner.send("settings", { maxAutoTurns: 3 });
    await until(async () => (await app.parley.tables.get(b.id))?.settings.maxAutoTurns === 3, 3000, "settings kept");
    expect((await app.parley.tables.get(a.id))?.settings.maxAutoTurns).toBeUndefined();
  });

  it("tells the 17th person the table is full instead of opening a second room", async () => {
    const t = await newTable("Crowded", ["juno"]);
    const people: import("@colyseus/sdk").Room[] = [];
    for (let i = 0; i < 16; i++) people.push(await app.join(`P${i}`, { tableId: t.id, invite: t.invite }));
    expect(await refusal(app.join("P16", { tableId: t.id, invite: t.invite }))).toMatch(/table is full/);
    await people[0]!.leave();
    await until(() => view(people[1]!).people[people[0]!.sessionId] === undefined, 3000, "a place frees up");
    const late = await app.join("P16", { tableId: t.id, invite: t.invite });
    expect(view(late).people[late.sessionId]?.name).toBe("P16");
    for (const p of people.slice(1)) await p.leave();
    await late.leave();
  });

  it("lets the host mute a person and ask them to leave", async () => {
    const t = await newTable("Moderated", ["ada"]);
    const owner = await app.join("Owner", { tableId: t.id, invite: host });
    const loud = await app.join("Loud", { tableId: t.id, invite: t.invite });
    const loudLog = new MessageLog(loud);
    owner.send("person:mute", { sessionId: loud.sessionId, muted: true });
    await until(() => view(loud).people[loud.sessionId]?.muted === true, 3000, "muted");
    loud.send("chat", { text: "Ada, listen!" });
    expect(((await loudLog.waitForType("error")).payload as ErrorPayload).code).toBe("no_speaking_rights");
    // a guest cannot mute the host
    loud.send("person:mute", { sessionId: owner.sessionId, muted: true });
    await loudLog.waitFor((r) => r.type === "error" && (r.payload as ErrorPayload).code === "forbidden", 3000, "forbidden");
    const left = new Promise<number>((r) => loud.onLeave((code) => r(code)));
    owner.send("person:remove", { sessionId: loud.sessionId });
    expect(await left).toBe(4005);
  });
});
