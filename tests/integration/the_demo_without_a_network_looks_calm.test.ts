/**
 * The first minute of `npm run demo` on a machine without a network: nothing
 * is downloaded, nothing shows as an error to the table, and what an optional
 * model would add is said once, calmly (the page's note is optional, the
 * terminal's line is information, not an error).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { boot, type Booted } from "../support/boot.js";
import { until, view } from "../support/messages.js";
import { setQuiet } from "../../server/src/util/log.js";

let app: Booted;
let host: Server;
const asked: string[] = [];
const printed: { level: "log" | "warn" | "error"; text: string }[] = [];
const original = { log: console.log, warn: console.warn, error: console.error };

beforeAll(async () => {
  // a model host that would answer: the demo must not ask it anything
  host = createServer((req, res) => { asked.push(req.url ?? ""); res.writeHead(404).end(); });
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  for (const level of ["log", "warn", "error"] as const) console[level] = (...a: unknown[]) => { printed.push({ level, text: a.join(" ") }); };
  app = await boot({
    PARLEY_OFFLINE: "0", PARLEY_QUIET: "0", PARLEY_TURN_MODEL: "smart-turn",
    PARLEY_HF_ENDPOINT: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
  });
  setQuiet(true);
});
afterAll(async () => {
  Object.assign(console, original);
  await app?.stop();
  host?.closeAllConnections();
  await new Promise<void>((r) => (host?.listening ? host.close(() => r()) : r()));
});

describe("the demo without a network", () => {
  it("downloads nothing, shows no error, and says once what the end-of-turn model would add", async () => {
    const room = await app.join("Sam");
    await until(() => Object.values(view(room).models).some((m) => m.kind === "turn" && m.error !== ""), 10_000, "the end-of-turn model's note");
    const models = Object.values(view(room).models);
    expect(models.filter((m) => m.error && !m.optional)).toEqual([]);
    expect(models.find((m) => m.kind === "turn")).toMatchObject({ optional: true, ready: false });
    expect(asked).toEqual([]);
    expect(view(room).llm).toMatchObject({ ready: true, demo: true, error: "" });
    // the terminal: one calm line about it, and no error or warning at all
    const lines = printed.filter((p) => /Smart Turn/.test(p.text));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe("log");
    expect(lines[0]!.text).toMatch(/would tell a finished sentence from a pause.*npm start/);
    expect(printed.filter((p) => p.level !== "log")).toEqual([]);
  });
});
