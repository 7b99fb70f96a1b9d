/** Boots the real Parley server on 127.0.0.1 for a test, and joins it with the real client SDK. */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { Client, type Room } from "@colyseus/sdk";
import { loadConfig, type ParleyConfig } from "../../server/src/config.js";
import { startParley, type RunningParley, type StartOptions } from "../../server/src/server.js";
import { ROOM_NAME } from "../../shared/src/index.js";

export const TEST_CACHE_DIR = join(tmpdir(), "parley-test-cache");

export function testConfig(env: Record<string, string> = {}): ParleyConfig {
  return loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    PARLEY_DEMO: "1",
    PARLEY_OFFLINE: "1",
    PARLEY_QUIET: "1",
    PARLEY_THREADS: "2",
    PARLEY_TRACE: process.env.PARLEY_TRACE ?? "0",
    PARLEY_CACHE_DIR: TEST_CACHE_DIR,
    PARLEY_DATA_DIR: join(TEST_CACHE_DIR, "data"),
    ...env,
  });
}

export interface Booted {
  parley: RunningParley;
  /** joins the default table (or `options.tableId` by id) with the real SDK; `avatarUrl` picks the avatar worn */
  join(name?: string, options?: { invite?: string; tableId?: string; personId?: string; avatarUrl?: string }): Promise<Room>;
  stop(): Promise<void>;
}

/** The SDK client for a booted server (ws or wss). */
export function sdkClient(parley: RunningParley): Client {
  return new Client(parley.url.replace(/^http/, "ws"));
}

export async function boot(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<Booted> {
  // every server gets its own database unless a test shares one on purpose
  const dataDir = env.PARLEY_DATA_DIR ? null : mkdtempSync(join(tmpdir(), "parley-data-"));
  const parley = await startParley(testConfig({ ...(dataDir ? { PARLEY_DATA_DIR: dataDir } : {}), ...env }), opts);
  await parley.llm.start();
  const rooms: Room[] = [];
  return {
    parley,
    async join(name = "Sam", options = {}) {
      const client = sdkClient(parley);
      const { tableId, ...rest } = options;
      const room = tableId ? await client.joinById(tableId, { name, ...rest }) : await client.joinOrCreate(ROOM_NAME, { name, ...rest });
      rooms.push(room);
      // a room the test left itself is not left again at stop (that would wait forever)
      room.onLeave(() => { const i = rooms.indexOf(room); if (i >= 0) rooms.splice(i, 1); });
      // tests listen selectively; unhandled types are fine
      room.onMessage("*", () => {});
      // wait for the first full state so tests can read it at once
      if (!(room.state as { characters?: unknown }).characters) await new Promise<void>((r) => room.onStateChange.once(() => r()));
      return room;
    },
    async stop() {
      // a room left already (by the test, or removed by the host) would wait for ever for its second leave
      await Promise.all(rooms.filter((r) => r.connection.isOpen).map((r) => r.leave().catch(() => {})));
      await parley.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
