/** The room's synchronized state: slow facts only (audio and cues travel as messages). */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const CharacterSchema = schema({
  id: t.string(),
  name: t.string(),
  state: t.string().default("idle"),
  emotion: t.string().default("neutral"),
  seat: t.number(),
  avatarUrl: t.string(),
  color: t.string(),
  lookAt: t.string().default(""),
}, "Character");
export type CharacterSchema = SchemaType<typeof CharacterSchema>;

/** Where a person looks, relative to facing the table from their seat, rad (see PersonHeadPayload). */
export const HeadSchema = schema({
  yaw: t.number().default(0),
  pitch: t.number().default(0),
}, "Head");

export const PersonSchema = schema({
  sessionId: t.string(),
  name: t.string(),
  seat: t.number(),
  /** their microphone hears speech now */
  speaking: t.boolean().default(false),
  avatarUrl: t.string().default(""),
  head: HeadSchema,
  /** "host" (may change settings, cast, avatars; mute or remove people) or "guest" */
  role: t.string().default("guest"),
  /** the host muted them: their speech and messages are not taken */
  muted: t.boolean().default(false),
}, "Person");
export type PersonSchema = SchemaType<typeof PersonSchema>;

export const LineSchema = schema({
  id: t.string(),
  kind: t.string(),
  speakerId: t.string(),
  speakerName: t.string(),
  text: t.string(),
  heardText: t.string(),
  interrupted: t.boolean().default(false),
  error: t.string().default(""),
  done: t.boolean().default(true),
}, "Line");
export type LineSchema = SchemaType<typeof LineSchema>;

export const LlmSchema = schema({
  ready: t.boolean().default(false),
  provider: t.string().default(""),
  model: t.string().default(""),
  error: t.string().default(""),
  demo: t.boolean().default(false),
  progress: t.number().default(0),
  choice: t.string().default(""),
  measured: t.string().default(""),
}, "Llm");

export const SettingsSchema = schema({
  policy: t.string().default("natural"),
  everyoneTalks: t.boolean().default(false),
  interruptSensitivity: t.number().default(0.3),
  speculation: t.boolean().default(true),
  maxAutoTurns: t.number().default(8),
  language: t.string().default("en"),
}, "Settings");

/** A model file the server fetches or loads (voices, recognizers): its progress for the UI. */
export const ModelSchema = schema({
  id: t.string(),
  kind: t.string(),
  name: t.string(),
  progress: t.number().default(0),
  ready: t.boolean().default(false),
  error: t.string().default(""),
  optional: t.boolean().default(false),
}, "Model");

export const RoomState = schema({
  tableId: t.string().default(""),
  tableName: t.string().default(""),
  characters: t.map(CharacterSchema),
  people: t.map(PersonSchema),
  transcript: t.array(LineSchema),
  llm: LlmSchema,
  settings: SettingsSchema,
  models: t.map(ModelSchema),
}, "RoomState");
export type RoomState = SchemaType<typeof RoomState>;
