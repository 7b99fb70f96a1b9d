/**
 * Two private Parley processes on one Redis and one PostgreSQL: they share one
 * host token; a table made through one lives there, and when its host revokes
 * the invite through the other process, the old invite no longer seats anyone
 * at the table, wherever the seat is reserved, and the new one does.
 */
import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { Client } from "@colyseus/sdk";
import type { ParleyProcess } from "../support/parleyProcess.js";
import { startTwoProcesses, type TwoProcesses } from "../support/twoProcesses.js";

let both: TwoProcesses | undefined;
let a: ParleyProcess;
let b: ParleyProcess;
beforeAll(async () => { both = await startTwoProcesses({ PARLEY_PRIVATE: "1" }); ({ a, b } = both); }, 120_000);
afterAll(async () => { await both?.stop(); });

const hostToken = (p: ParleyProcess): string => /open http:\/\/127\.0\.0\.1:\d+\/\?invite=([\w-]+)/.exec(p.output())?.[1] ?? "";

/** Joins a table with an invite through `via`; resolves with the refusal, or "seated". */
async function joinWith(via: ParleyProcess, tableId: string, invite: string): Promise<string> {
  try {
    const room = await new Client(via.url.replace(/^http/, "ws")).joinById(tableId, { name: "Guest", invite });
    await room.leave();
    return "seated";
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe("two private processes", () => {
  it("share the host's token, and an invite revoked through one stops working at a table living in the other", async () => {
    const host = hostToken(a);
    expect(host).not.toBe("");
    expect(hostToken(b)).toBe(host);
    const auth = { authorization: `Bearer ${host}`, "content-type": "application/json" };
    const made = await fetch(`${a.url}/api/tables`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Private", characters: ["ada"], language: "en" }) });
    expect(made.status).toBe(201);
    const { id, invite } = (await made.json()) as { id: string; invite: string };
    expect(await joinWith(b, id, invite)).toBe("seated");

    const revoked = await fetch(`${b.url}/api/tables/${id}/invite`, { method: "POST", headers: auth });
    expect(revoked.status).toBe(200);
    const fresh = ((await revoked.json()) as { invite: string }).invite;
    expect(fresh).not.toBe(invite);
    // the table lives in A, which opened it with the old invite
    expect(await joinWith(b, id, invite)).toMatch(/not valid/);
    expect(await joinWith(a, id, invite)).toMatch(/not valid/);
    expect(await joinWith(b, id, fresh)).toBe("seated");
  }, 120_000);
});
