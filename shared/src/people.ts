/**
 * People at the table: where they look (a slow fact, kept in room state), their
 * avatar, and their mouth shapes (fast data: compact byte frames relayed by the
 * server to everyone else at the table, never state).
 */
import { z } from "zod";
import { VISEMES, type Viseme } from "./names.js";

export const PEOPLE_LIMITS = {
  /** head pose updates per client: at most this many per window (the client sends ≤ 10 Hz) */
  headBurst: 20,
  headWindowMs: 1000,
  /** viseme frames per client per window (the client sends ~16 Hz) */
  visemeBurst: 30,
  visemeWindowMs: 1000,
  /** avatar changes per client per window */
  avatarBurst: 5,
  avatarWindowMs: 10_000,
} as const;

/**
 * Where a person looks, rad: yaw from facing the table's centre from their seat
 * (positive turns to their left, about +y), pitch from level (positive looks up).
 */
export const PersonHeadPayload = z.object({
  yaw: z.number().finite().min(-Math.PI).max(Math.PI),
  pitch: z.number().finite().min(-Math.PI / 2).max(Math.PI / 2),
}).strict();
export type PersonHead = z.infer<typeof PersonHeadPayload>;

/** An avatar URL the server handed out: one of the generated cast, or a person's own uploaded VRM. */
export const PERSON_AVATAR_URL = /^\/avatars\/(cast\/[a-z0-9-]{1,40}\.vrm|person\/[0-9a-f]{64}\.vrm)$/;
export const PersonAvatarPayload = z.object({
  avatarUrl: z.string().max(120).regex(PERSON_AVATAR_URL, "not an avatar this server offers"),
}).strict();

/** The generated cast's avatar URL for a file name in assets/avatars. */
export const castAvatarUrl = (file: string): string => `/avatars/cast/${file}`;

/** Bytes in a mouth frame a client sends: one weight per viseme, 0..255, in VISEMES order. */
export const VISEME_FRAME_BYTES = VISEMES.length;

/** Packs mouth weights (0..1) into a frame; `out` is reused (no allocation per frame). */
export function encodeVisemes(w: Readonly<Record<Viseme, number>>, out = new Uint8Array(VISEME_FRAME_BYTES)): Uint8Array {
  VISEMES.forEach((v, i) => { out[i] = Math.round(Math.max(0, Math.min(1, w[v])) * 255); });
  return out;
}

/** Reads a frame's weights into `out`, from byte `offset` on. */
export function decodeVisemes(bytes: Uint8Array, out: Record<Viseme, number>, offset = 0): Record<Viseme, number> {
  VISEMES.forEach((v, i) => { out[v] = (bytes[offset + i] ?? 0) / 255; });
  return out;
}

/** A relayed frame: the speaker's seat, then the weights. */
export const RELAYED_VISEME_FRAME_BYTES = 1 + VISEME_FRAME_BYTES;
