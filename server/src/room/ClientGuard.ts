/**
 * The room's defences against one client: a budget per message type (a client
 * over it gets one polite "too fast" a second, then silence), frames checked
 * before Colyseus decodes them (oversized or undecodable frames get an error,
 * the connection stays), and log lines about misbehaving clients kept to one
 * per client and cause per minute, without stack traces.
 */
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";
import { ErrorCode, LIMITS, PEOPLE_LIMITS, ServerMessage, type ErrorPayload } from "@parley/shared";
import type { Client } from "@colyseus/core";
import { RateLimiter } from "../util/RateLimiter.js";
import { log } from "../util/log.js";

/** Per-type budgets: [messages, per window in ms]. Types not listed share "other". */
export const MESSAGE_BUDGETS: Record<string, readonly [number, number]> = {
  chat: [LIMITS.chatBurst, LIMITS.chatWindowMs],
  nominate: [LIMITS.chatBurst, LIMITS.chatWindowMs],
  stop: [10, 10_000],
  settings: [10, 10_000],
  setName: [5, 10_000],
  // each utterance reports twice a second; a few may overlap
  playback: [80, 10_000],
  // a page reports each stall of its playout; a bad network or a busy page makes a few a second at most
  "playout:gap": [40, 10_000],
  "memory:get": [10, 10_000],
  "memory:forget": [10, 10_000],
  "memory:forgetMe": [3, 60_000],
  "speech:start": [20, 10_000],
  "speech:end": [20, 10_000],
  "speech:cancel": [20, 10_000],
  // people at the table: head poses come at most 10 a second, mouth frames ~16
  "person:head": [PEOPLE_LIMITS.headBurst, PEOPLE_LIMITS.headWindowMs],
  "person:visemes": [PEOPLE_LIMITS.visemeBurst, PEOPLE_LIMITS.visemeWindowMs],
  "person:avatar": [PEOPLE_LIMITS.avatarBurst, PEOPLE_LIMITS.avatarWindowMs],
  "person:mute": [20, 10_000],
  "person:remove": [10, 10_000],
  other: [20, 10_000],
};

/** Colyseus frame codes (shared-types Protocol) this guard looks into. */
const ROOM_DATA = 13;
const ROOM_DATA_BYTES = 17;
const ROOM_REQUEST = 21;
const CODE_MASK = 31;

export type FrameVerdict = { ok: true } | { ok: false; code: ErrorCode; cause: string };

/** Checks a raw frame the way Colyseus will read it, without throwing. */
export function inspectFrame(buffer: unknown): FrameVerdict {
  if (!(buffer instanceof Uint8Array) || buffer.byteLength === 0) return { ok: false, code: ErrorCode.badMessage, cause: "an empty or non-binary frame" };
  if (buffer.byteLength > LIMITS.maxMessageBytes) return { ok: false, code: ErrorCode.tooLong, cause: `a message of ${buffer.byteLength} bytes (at most ${LIMITS.maxMessageBytes})` };
  const code = buffer[0]! & CODE_MASK;
  if (code !== ROOM_DATA && code !== ROOM_REQUEST && code !== ROOM_DATA_BYTES) return { ok: true };
  try {
    const it = { offset: 1 };
    if (code === ROOM_REQUEST) decode.number(buffer as Buffer, it);
    if (decode.stringCheck(buffer as Buffer, it)) decode.string(buffer as Buffer, it);
    else decode.number(buffer as Buffer, it);
    if (it.offset > buffer.byteLength) throw new Error("type runs past the end");
    if (code !== ROOM_DATA_BYTES && buffer.byteLength > it.offset) unpack(buffer.subarray(it.offset));
    return { ok: true };
  } catch (err) {
    return { ok: false, code: ErrorCode.badMessage, cause: `an undecodable frame (${err instanceof Error ? err.message.slice(0, 80) : "?"})` };
  }
}

export class ClientGuard {
  private readonly limits = new Map<string, RateLimiter>();
  private readonly lastError = new Map<string, number>();
  private readonly lastLog = new Map<string, number>();
  private readonly errorBurst = new Map<string, { since: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private limiter(type: string): RateLimiter {
    const key = MESSAGE_BUDGETS[type] ? type : "other";
    let l = this.limits.get(key);
    if (!l) {
      const [burst, windowMs] = MESSAGE_BUDGETS[key]!;
      l = new RateLimiter(burst, windowMs, this.now);
      this.limits.set(key, l);
    }
    return l;
  }

  /** Counts a message; false (after telling the client, at most once a second) when over its budget. */
  allow(client: Client, type: string): boolean {
    if (this.limiter(type).allow(client.sessionId)) return true;
    const [burst, windowMs] = MESSAGE_BUDGETS[MESSAGE_BUDGETS[type] ? type : "other"]!;
    this.fail(client, ErrorCode.tooFast, `Slow down: at most ${burst} "${type.slice(0, 40)}" messages every ${windowMs / 1000} s.`);
    return false;
  }

  /** An error for this client only: the same error at most once a second, and at most twenty a second in all. */
  fail(client: Client, code: ErrorCode, message: string): void {
    const key = `${client.sessionId}\n${code}\n${message.slice(0, 200)}`;
    const t = this.now();
    if (t - (this.lastError.get(key) ?? -Infinity) < 1000) return;
    const burst = this.errorBurst.get(client.sessionId);
    if (burst && t - burst.since < 1000 && burst.count >= 20) return;
    this.errorBurst.set(client.sessionId, burst && t - burst.since < 1000 ? { since: burst.since, count: burst.count + 1 } : { since: t, count: 1 });
    this.lastError.set(key, t);
    if (this.lastError.size > 10_000) this.lastError.clear();
    const payload: ErrorPayload = { code, message };
    client.send(ServerMessage.error, payload);
  }

  /** One log line per client and cause a minute. */
  note(client: Client, cause: string): void {
    const key = `${client.sessionId}\n${cause.slice(0, 40)}`;
    const t = this.now();
    if (t - (this.lastLog.get(key) ?? -Infinity) < 60_000) return;
    this.lastLog.set(key, t);
    if (this.lastLog.size > 10_000) this.lastLog.clear();
    log.warn(`client ${client.sessionId} sent ${cause}`);
  }

  forget(sessionId: string): void {
    for (const l of this.limits.values()) l.forget(sessionId);
    this.errorBurst.delete(sessionId);
  }
}
