import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Room } from "@colyseus/sdk";
import type { VoiceConfig, UttStart, UttChunk } from "../../shared/src/index.js";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { v3Card } from "../support/cards.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";

/** the fast fake voice, noting which voice said what */
class RecordingTts extends FakeTts {
  readonly said: { text: string; voice: VoiceConfig }[] = [];
  override synthesize(text: string, voice: VoiceConfig, signal: AbortSignal) {
    this.said.push({ text, voice });
    return super.synthesize(text, voice, signal);
  }
}

const tts = new RecordingTts({ msPerChar: 8, sampleRate: 16000, pieceSamples: 1600 });
let app: Booted;
let room: Room;
let log: MessageLog;
beforeAll(async () => {
  app = await boot({}, { tts });
  room = await app.join("Sam");
  log = new MessageLog(room);
});
afterAll(async () => { await app?.stop(); });

const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${app.parley.url}/api${path}`, init);
const json = { "content-type": "application/json" };

describe("the live cast", () => {
  let id = "";

  it("seats an imported character at a running table: a free seat, its avatar, and a spoken greeting", async () => {
    const card = v3Card("Вера", { parley: { voice: { provider: "espeak", voice: "en-gb+f2", speed: 1, pitch: 50 } } }, { first_mes: "*smiles* Hello, {{user}}! I am {{char}}.", group_only_greetings: [] });
    const imported = await api("/characters/import", { method: "POST", headers: json, body: JSON.stringify(card) });
    id = ((await imported.json()) as { id: string }).id;
    const seated = await api("/table/characters", { method: "POST", headers: json, body: JSON.stringify({ id }) });
    expect(seated.status).toBe(201);
    await until(() => !!view(room).characters[id], 5000, "Вера in the room's state");
    const c = view(room).characters[id]!;
    // the free place nearest the far side, next to the others (shared/seats.ts)
    expect(c).toMatchObject({ name: "Вера", seat: 6 });
    const avatar = await fetch(app.parley.url + c.avatarUrl);
    expect(avatar.status).toBe(200);
    const start = await log.waitFor((m) => m.type === "utt:start" && (m.payload as UttStart).characterId === id, 10_000, "greeting start");
    const utt = (start.payload as UttStart).utteranceId;
    await log.waitFor((m) => m.type === "utt:end" && (m.payload as { utteranceId: string }).utteranceId === utt, 10_000, "greeting end");
    const chunks = log.of<UttChunk>("utt:chunk").filter((m) => m.utteranceId === utt);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.some((m) => m.cues.length > 0)).toBe(true);
    await until(() => view(room).transcript.some((l) => l.speakerId === id && l.done), 5000, "greeting line");
    // shown with the action, spoken without it; macros filled with who is at the table
    expect(view(room).transcript.find((l) => l.speakerId === id)!.text).toBe("*smiles* Hello, Sam! I am Ве.");
    expect(tts.said.filter((s) => s.voice.provider === "espeak" && s.voice.voice === "en-gb+f2").map((s) => s.text).join(" ")).toBe("Hello, Sam! I am Ве.");
    expect(((await (await api("/table/characters")).json()) as { characters: string[] }).characters).toEqual(["ada", "juno", "theo", id]);
    // the table keeps who sits at it for its next opening
    await app.parley.tables.flushed();
    expect((await app.parley.store.table("main"))!.characters).toEqual(["ada", "juno", "theo", id]);
  });

  it("a studio edit of its voice is what the next line speaks with", async () => {
    const before = (await (await api(`/characters/${id}`)).json()) as Record<string, unknown>;
    const bad = await api(`/characters/${id}`, { method: "PUT", headers: json, body: JSON.stringify({ ...before, talkativeness: 3, color: "red" }) });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(issues).toEqual(["color", "talkativeness"]);
    const saved = await api(`/characters/${id}`, { method: "PUT", headers: json, body: JSON.stringify({ ...before, voice: { provider: "flite", voice: "awb", speed: 1, pitch: 50 } }) });
    expect(saved.status).toBe(200);
    const said = tts.said.length;
    room.send("chat", { text: "Вера, what do you think?" });
    await until(() => tts.said.length > said, 15_000, "her next line");
    expect(tts.said.slice(said).every((s) => s.voice.provider === "flite" && "voice" in s.voice && s.voice.voice === "awb")).toBe(true);
  });

  it("lists every provider's voices and previews any voice before it is saved", async () => {
    const voices = ((await (await api("/voices")).json()) as { voices: { provider: string; id: string }[] }).voices;
    expect(voices.some((v) => v.provider === "espeak" && v.id === "en-us")).toBe(true);
    expect(voices.some((v) => v.provider === "flite")).toBe(true);
    const wav = await api("/voices/preview", { method: "POST", headers: json, body: JSON.stringify({ voice: { provider: "espeak", voice: "ru+f3", speed: 1, pitch: 50 }, text: "Привет!" }) });
    expect(wav.status).toBe(200);
    expect(wav.headers.get("content-type")).toBe("audio/wav");
    expect((await wav.arrayBuffer()).byteLength).toBeGreaterThan(8000);
    const bad = await api("/voices/preview", { method: "POST", headers: json, body: JSON.stringify({ voice: { provider: "espeak", speed: 9 } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/speed/);
  });

  it("refuses a character already seated, one that does not exist, and a body that does not parse", async () => {
    expect((await api("/table/characters", { method: "POST", headers: json, body: JSON.stringify({ id: "ada" }) })).status).toBe(409);
    expect((await api("/table/characters", { method: "POST", headers: json, body: JSON.stringify({ id: "nobody" }) })).status).toBe(404);
    expect((await api("/table/characters", { method: "POST", headers: json, body: "{" })).status).toBe(400);
  });

  it("sends a character away: it says goodbye, then leaves the table for everyone", async () => {
    await until(() => Object.values(view(room).characters).every((c) => c.state === "idle"), 15_000, "a quiet table");
    const res = await api(`/table/characters/${id}`, { method: "DELETE" });
    expect(res.status).toBe(202);
    await until(() => !view(room).characters[id], 15_000, "Вера gone");
    const bye = view(room).transcript.filter((l) => l.speakerId === id).at(-1)!;
    expect(bye.text).toBe("I have to go now. Goodbye, Sam!");
    expect(((await (await api("/table/characters")).json()) as { characters: string[] }).characters).toEqual(["ada", "juno", "theo"]);
    await app.parley.tables.flushed();
    expect((await app.parley.store.table("main"))!.characters).toEqual(["ada", "juno", "theo"]);
    // she is still in the library, and can be deleted now that she has left
    expect((await api(`/characters/${id}`, { method: "DELETE" })).status).toBe(200);
  });
});
