/**
 * Two Parley processes on one real Redis and one real PostgreSQL: a table made
 * through one process lives in it, and the other reserves seats in it (the page
 * is sent to the owner) and it answers; after a kill -9 of the owner, the next
 * join through the other process reopens the table there with every line that
 * was finished, and it answers again.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { Client, type Room } from "@colyseus/sdk";
import type { ParleyProcess } from "../support/parleyProcess.js";
import { startTwoProcesses, type TwoProcesses } from "../support/twoProcesses.js";
import { MessageLog, until, view } from "../support/messages.js";

let both: TwoProcesses | undefined;
let a: ParleyProcess;
let b: ParleyProcess;
// started together: they make the default table and the host's token once between them
beforeAll(async () => { both = await startTwoProcesses(); ({ a, b } = both); }, 120_000);
afterAll(async () => { await both?.stop(); });

interface Reservation { roomId: string; processId: string; publicAddress?: string; sessionId: string; name: string }

/** A seat reserved through `via`'s HTTP matchmaking, then taken where the reservation says, with the real SDK. */
async function joinThrough(via: ParleyProcess, tableId: string): Promise<{ room: Room; reservation: Reservation }> {
  const res = await fetch(`${via.url}/matchmake/joinById/${tableId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Sam", personId: "sam-two-processes-01" }) });
  expect(res.status, await res.clone().text()).toBe(200);
  const reservation = (await res.json()) as Reservation;
  const room = await new Client(via.url.replace(/^http/, "ws")).consumeSeatReservation(reservation);
  room.onMessage("*", () => {});
  if (!(room.state as { characters?: unknown }).characters) await new Promise<void>((r) => room.onStateChange.once(() => r()));
  await until(() => view(room).llm.ready, 30_000, "the demo model");
  return { room, reservation };
}

/** Asks Ada something and waits until her answer is finished. */
async function askAda(room: Room, text: string): Promise<void> {
  const log = new MessageLog(room);
  room.send("chat", { text });
  await log.waitForType("utt:end", 30_000);
  await until(() => view(room).transcript.some((l, i, all) => l.speakerName === "Ada" && l.done && all.findIndex((q) => q.text === text) < i), 10_000, "Ada's answer");
}

describe("two Parley processes on one Redis and one PostgreSQL", () => {
  it("share a table made through one, answer it through the other, and reopen it with its lines after a kill -9", async () => {
    const made = await fetch(`${a.url}/api/tables`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Two processes", characters: ["ada", "theo"], language: "en" }) });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };

    // the table lives in A, where it was made; B reserves the seat and sends the page to A
    const first = await joinThrough(b, id);
    expect(first.reservation.roomId).toBe(id);
    expect(first.reservation.publicAddress).toBe(`127.0.0.1:${a.port}`);
    await askAda(first.room, "Ada, what is your favourite number?");
    await askAda(first.room, "Ada, and your favourite colour?");
    const finished = view(first.room).transcript.filter((l) => l.done).map((l) => ({ id: l.id, text: l.text }));
    expect(finished.length).toBeGreaterThanOrEqual(4);

    // its connection ends with A; this test joins again itself rather than let the SDK retry A
    first.room.reconnection.enabled = false;
    await a.kill9();
    // the next join through B finds A gone, reopens the table in B with its history
    const again = await joinThrough(b, id);
    expect(again.reservation.publicAddress).toBe(`127.0.0.1:${b.port}`);
    const transcript = view(again.room).transcript;
    for (const l of finished) expect(transcript.find((x) => x.id === l.id)?.text, `line ${l.id}`).toBe(l.text);
    await askAda(again.room, "Ada, are you still there?");
    await again.room.leave();

    // and the default table, opened at start by one of them, is joined through B too
    const main = await new Client(b.url.replace(/^http/, "ws")).joinOrCreate("parley", { name: "Kim" });
    expect(main.roomId).toBe("main");
    await main.leave();
  }, 180_000);
});
