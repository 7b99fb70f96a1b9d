/** A character's configuration, as written in characters/<id>.json or a user's data dir. */
import { z } from "zod";

export const VoiceConfig = z.object({
  provider: z.literal("espeak").default("espeak"),
  /** espeak-ng voice id with an optional variant, e.g. "en-us+m3" */
  voice: z.string().min(1).default("en-us"),
  /** words per minute */
  rate: z.number().min(80).max(450).default(170),
  /** 0..100 */
  pitch: z.number().min(0).max(100).default(50),
}).strict();
export type VoiceConfig = z.infer<typeof VoiceConfig>;

export const CharacterConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "id: lowercase letters, digits, _ and -"),
  name: z.string().min(1).max(40),
  /** other names people may call the character by */
  nicknames: z.array(z.string().min(1).max(40)).default([]),
  persona: z.string().min(1).max(4000),
  /** relative weight for being picked when nobody is addressed, 0..1 */
  talkativeness: z.number().min(0).max(1).default(0.5),
  voice: VoiceConfig.default({ provider: "espeak", voice: "en-us", rate: 170, pitch: 50 }),
  /** an avatar file name in assets/avatars, a path, or a URL served by the room */
  avatar: z.string().min(1),
  /** accent colour for the UI, #rrggbb */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).default("#888888"),
  /** sampling temperature for this character's replies */
  temperature: z.number().min(0).max(2).default(0.8),
  greeting: z.string().max(400).optional(),
}).strict();
export type CharacterConfig = z.infer<typeof CharacterConfig>;
