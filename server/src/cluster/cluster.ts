/**
 * What Colyseus runs on: in one process its own in-memory presence and driver;
 * with PARLEY_REDIS_URL, RedisPresence and RedisDriver, so every process sees
 * every table's room and any of them reserves a seat in it. A room is reached
 * at the address of the process it lives in (`publicAddress` in the seat
 * reservation): PARLEY_PROCESS_ADDRESS, else this process's own host:port.
 */
import type { Presence } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import { RedisDriver } from "@colyseus/redis-driver";
import type { ParleyConfig } from "../config.js";
import { reachableHost } from "../access/hostLink.js";
import { setTimeout as sleep } from "node:timers/promises";

/** A lock on a name for a while, across every process sharing the presence. */
export interface NameLock {
  /** true when this caller now holds the name (for `seconds` at most) */
  take(name: string, seconds: number): Promise<boolean>;
  give(name: string): Promise<void>;
}

/** how often a process waiting for a lock tries again, ms */
const LOCK_RETRY_MS = 50;

/** Runs `fn` holding `name` (waiting for whoever holds it, at most `seconds`). */
export async function withLock<T>(lock: NameLock, name: string, seconds: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await lock.take(name, seconds))) {
    if (Date.now() > deadline) throw new Error(`${name} has been held by another process for more than ${seconds} s`);
    await sleep(LOCK_RETRY_MS);
  }
  try { return await fn(); } finally { await lock.give(name); }
}

/** RedisPresence with the one command Colyseus's Presence lacks: SET NX (a lock that expires with its holder). */
class LockingRedisPresence extends RedisPresence implements NameLock {
  async take(name: string, seconds: number): Promise<boolean> { return (await this.pub.set(name, String(process.pid), "EX", seconds, "NX")) === "OK"; }
  async give(name: string): Promise<void> { await this.pub.del(name); }
}

/** One process: the lock is a set of names. */
class LocalLock implements NameLock {
  private readonly held = new Set<string>();
  async take(name: string): Promise<boolean> { if (this.held.has(name)) return false; this.held.add(name); return true; }
  async give(name: string): Promise<void> { this.held.delete(name); }
}

export interface ClusterSetup {
  /** for Colyseus's Server: presence, driver, publicAddress (all undefined in one process) */
  server: { presence?: Presence; driver?: RedisDriver; publicAddress?: string };
  lock: NameLock;
  shared: boolean;
}

export function clusterSetup(config: Pick<ParleyConfig, "redisUrl" | "processAddress" | "host" | "port">): ClusterSetup {
  if (!config.redisUrl) return { server: {}, lock: new LocalLock(), shared: false };
  const presence = new LockingRedisPresence(config.redisUrl);
  return {
    server: { presence, driver: new RedisDriver(config.redisUrl), publicAddress: config.processAddress ?? `${reachableHost(config.host)}:${config.port}` },
    lock: presence,
    shared: true,
  };
}
