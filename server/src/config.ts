/**
 * The one place that reads configuration: environment variables over an optional
 * JSON file (PARLEY_CONFIG, or ./parley.config.json). Everything else receives a
 * validated `ParleyConfig`.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { homedir, availableParallelism } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { LANGUAGES, languageOfTag } from "@parley/shared";
import { SETTING_HELP } from "./configHelp.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const bool = z.union([z.boolean(), z.string()]).transform((v) => v === true || v === "1" || v === "true" || v === "yes");
const int = z.union([z.number(), z.string()]).transform((v) => Number(v)).pipe(z.number().int());

const ConfigSchema = z.object({
  port: int.pipe(z.number().min(0).max(65535)).default(2567),
  host: z.string().min(1).default("127.0.0.1"),
  /** a loopback server that behaves as one beyond loopback: every join and HTTP route needs the table's invite */
  private: bool.default(false),
  /** serve HTTPS even on loopback (beyond loopback it is always on) */
  tls: bool.default(false),
  /** a certificate and key (PEM) to serve HTTPS with; else one is made and kept in the data dir */
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  /** the address people open, when it is not this machine's (a tunnel, a proxy): used in printed links */
  publicUrl: z.string().url().optional(),
  demo: bool.default(false),
  /** the language a table speaks when it opens: en, ru or zh (a tag like "ru-RU" or "zh-CN" works too) */
  language: z.string().transform((v) => languageOfTag(v) ?? v).pipe(z.enum(LANGUAGES)).default("en"),
  /** neural: the characters' espeak-ng voices give way to neural ones (downloaded on first start, espeak-ng speaking until then); offline: espeak-ng only. Default: neural, offline in the demo */
  voices: z.enum(["offline", "neural"]).optional(),
  /** where hf: model URIs (voices, recognizers, the end-of-turn model) are fetched from: a Hugging Face mirror */
  hfEndpoint: z.string().url().default("https://huggingface.co"),
  /** a .gguf path, an hf:/https: model URI to download, or "none" */
  model: z.string().optional(),
  llmUrl: z.string().url().optional(),
  llmModel: z.string().optional(),
  llmApiKey: z.string().optional(),
  /** an OpenAI-compatible server that gives no reply text for this long fails the turn, ms */
  llmTimeoutMs: int.pipe(z.number().min(500).max(600_000)).default(12_000),
  threads: int.pipe(z.number().min(1).max(256)).default(availableParallelism()),
  gpu: z.enum(["auto", "off"]).default("auto"),
  contextSize: int.pipe(z.number().min(512).max(131072)).default(4096),
  offline: bool.default(false),
  cacheDir: z.string().default(join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "parley")),
  /** a PostgreSQL URL: every table's conversation, memories and people there (shared by several processes) instead of the data dir's SQLite file */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// URL").optional(),
  /** a Redis URL: rooms and seat reservations shared with every Parley process pointed at it (RedisPresence + RedisDriver) */
  redisUrl: z.string().regex(/^rediss?:\/\//, "a redis:// or rediss:// URL").optional(),
  /** with redisUrl: where browsers reach this very process (host:port, or host/path behind a proxy); default its own host:port */
  processAddress: z.string().min(1).optional(),
  dataDir: z.string().default(join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "parley")),
  charactersDir: z.string().default(join(REPO_ROOT, "characters")),
  avatarsDir: z.string().default(join(REPO_ROOT, "assets", "avatars")),
  clientDir: z.string().default(join(REPO_ROOT, "client", "dist")),
  maxTokens: int.pipe(z.number().min(4).max(4096)).default(160),
  /** speech recognizer for microphones: whisper, streaming, openai or none */
  asr: z.enum(["whisper", "streaming", "openai", "none"]).default("whisper"),
  /** whisper: tiny|base|small|a directory; streaming: en|zh-en|zh|ru|a directory; openai: the server's model */
  asrModel: z.string().optional(),
  /** "table" (the table's language), "auto" (detect) or a language code */
  asrLanguage: z.string().min(2).max(10).default("table"),
  asrUrl: z.string().url().optional(),
  asrApiKey: z.string().optional(),
  /** how often partial words are recognized while someone speaks, ms (0 = only at the end) */
  asrPartialMs: int.pipe(z.number().min(0).max(10_000)).optional(),
  /** silence that ends a person's turn when no end-of-turn model decides (the browser's voice detector waits this long), ms */
  vadSilenceMs: int.pipe(z.number().min(100).max(5000)).default(500),
  /** the end-of-turn model: "smart-turn" (Smart Turn v3.1, downloaded on first use), a path to an .onnx, or "none" */
  turnModel: z.string().min(1).default("smart-turn"),
  /** with the end-of-turn model ready, the browser reports the end of speech after this much silence and the model decides, ms */
  turnVadSilenceMs: int.pipe(z.number().min(64).max(5000)).default(200),
  /** the model hears an unfinished sentence: answer anyway after this much silence, ms */
  turnIncompleteMs: int.pipe(z.number().min(0).max(10_000)).default(1200),
  /** after words that trail off ("and then..."), how long to wait for more, ms */
  turnTrailingMs: int.pipe(z.number().min(0).max(5000)).default(700),
  /** speech shorter than this never interrupts (noise), ms */
  bargeInMinMs: int.pipe(z.number().min(0).max(2000)).default(200),
  /** speech this long interrupts for good, whatever its words, ms */
  bargeInConfirmMs: int.pipe(z.number().min(100).max(5000)).default(700),
  /** a conversation is over (and characters write memories) after this long without a line, ms */
  memoryQuietMs: int.pipe(z.number().min(100)).default(45_000),
  /** a model download with no progress for this long fails, ms */
  downloadStallMs: int.pipe(z.number().min(100)).default(60_000),
  quiet: bool.default(false),
  /** log every decision of the director and every voice event (debugging) */
  trace: bool.default(false),
}).refine((c) => !c.redisUrl || c.port !== 0 || !!c.processAddress, {
  path: ["port"], message: "with PARLEY_REDIS_URL every process needs its own PORT (not 0), or PARLEY_PROCESS_ADDRESS: pages connect to the process a table lives in",
});
export type ParleyConfig = z.infer<typeof ConfigSchema>;

export const ENV_KEYS: Record<string, keyof ParleyConfig> = {
  PORT: "port",
  HOST: "host",
  PARLEY_PRIVATE: "private",
  PARLEY_TLS: "tls",
  PARLEY_TLS_CERT: "tlsCert",
  PARLEY_TLS_KEY: "tlsKey",
  PARLEY_PUBLIC_URL: "publicUrl",
  PARLEY_DEMO: "demo",
  PARLEY_LANGUAGE: "language",
  PARLEY_VOICES: "voices",
  PARLEY_HF_ENDPOINT: "hfEndpoint",
  PARLEY_MODEL: "model",
  PARLEY_LLM_URL: "llmUrl",
  PARLEY_LLM_MODEL: "llmModel",
  PARLEY_LLM_API_KEY: "llmApiKey",
  PARLEY_LLM_TIMEOUT_MS: "llmTimeoutMs",
  PARLEY_THREADS: "threads",
  PARLEY_GPU: "gpu",
  PARLEY_CONTEXT_SIZE: "contextSize",
  PARLEY_OFFLINE: "offline",
  PARLEY_CACHE_DIR: "cacheDir",
  PARLEY_DATA_DIR: "dataDir",
  PARLEY_DATABASE_URL: "databaseUrl",
  PARLEY_REDIS_URL: "redisUrl",
  PARLEY_PROCESS_ADDRESS: "processAddress",
  PARLEY_CHARACTERS_DIR: "charactersDir",
  PARLEY_AVATARS_DIR: "avatarsDir",
  PARLEY_CLIENT_DIR: "clientDir",
  PARLEY_MAX_TOKENS: "maxTokens",
  PARLEY_DOWNLOAD_STALL_MS: "downloadStallMs",
  PARLEY_MEMORY_QUIET_MS: "memoryQuietMs",
  PARLEY_VAD_SILENCE_MS: "vadSilenceMs",
  PARLEY_TURN_TRAILING_MS: "turnTrailingMs",
  PARLEY_TURN_MODEL: "turnModel",
  PARLEY_TURN_VAD_SILENCE_MS: "turnVadSilenceMs",
  PARLEY_TURN_INCOMPLETE_MS: "turnIncompleteMs",
  PARLEY_BARGE_IN_MIN_MS: "bargeInMinMs",
  PARLEY_BARGE_IN_CONFIRM_MS: "bargeInConfirmMs",
  PARLEY_ASR: "asr",
  PARLEY_ASR_MODEL: "asrModel",
  PARLEY_ASR_LANGUAGE: "asrLanguage",
  PARLEY_ASR_URL: "asrUrl",
  PARLEY_ASR_API_KEY: "asrApiKey",
  PARLEY_ASR_PARTIAL_MS: "asrPartialMs",
  PARLEY_QUIET: "quiet",
  PARLEY_TRACE: "trace",
};

export class ConfigError extends Error {}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;

/** Beyond this machine (or PARLEY_PRIVATE): every join and HTTP route needs a table's invite, and HTTPS is on. */
export const isPrivate = (c: Pick<ParleyConfig, "host" | "private">): boolean => c.private || !LOOPBACK.test(c.host);
/** The voices the characters get: neural by default, the offline voices in the demo (it downloads nothing). */
export const voiceDefaults = (c: Pick<ParleyConfig, "voices" | "demo">): "offline" | "neural" => c.voices ?? (c.demo ? "offline" : "neural");
export const usesTls = (c: Pick<ParleyConfig, "host" | "private" | "tls" | "tlsCert">): boolean => c.tls || !!c.tlsCert || !LOOPBACK.test(c.host);

/** Builds the configuration from a file, the environment and explicit overrides (highest first: overrides, env, file). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof ParleyConfig, unknown>> = {}): ParleyConfig {
  const file = env.PARLEY_CONFIG ?? (existsSync("parley.config.json") ? "parley.config.json" : undefined);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try { fromFile = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>; } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) if (env[name] !== undefined && env[name] !== "") fromEnv[key] = env[name];
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${settingName(String(i.path[0] ?? ""))}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/**
 * The same settings as flags, for every shell (`npm start -- --host 0.0.0.0
 * --language ru`): each environment variable's config key in kebab case
 * (PARLEY_LLM_URL is --llm-url), on/off settings as bare flags (--private,
 * --no-private), --config FILE for PARLEY_CONFIG, --help. Flags win over the
 * environment, which wins over the file.
 */
export const flagOf = (key: keyof ParleyConfig): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** settings that are on or off: their flags take no value */
const SWITCHES = new Set(Object.entries(ConfigSchema.parse({})).filter(([, v]) => typeof v === "boolean").map(([k]) => k));

export type CommandLine = { help: true } | { help: false; config: ParleyConfig };

/** Reads the command line (argv without node and the script) over the environment. */
export function loadCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CommandLine {
  const options: Record<string, { type: "string" | "boolean" }> = { help: { type: "boolean" }, config: { type: "string" } };
  for (const key of Object.values(ENV_KEYS)) {
    options[flagOf(key)] = { type: SWITCHES.has(key) ? "boolean" : "string" };
    if (SWITCHES.has(key)) options[`no-${flagOf(key)}`] = { type: "boolean" };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split("\n")[0]}\nSee --help for every flag.`);
  }
  if (values.help) return { help: true };
  const overrides: Partial<Record<keyof ParleyConfig, unknown>> = {};
  for (const key of Object.values(ENV_KEYS)) {
    const v = values[flagOf(key)];
    if (v !== undefined) overrides[key] = v;
    if (values[`no-${flagOf(key)}`]) overrides[key] = false;
  }
  const file = typeof values.config === "string" ? values.config : undefined;
  return { help: false, config: loadConfig(file ? { ...env, PARLEY_CONFIG: file } : env, overrides) };
}

/** A setting as the user wrote it: `port (--port, PORT)`. */
function settingName(key: string): string {
  const env = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];
  return env ? `${key} (--${flagOf(key as keyof ParleyConfig)}, ${env})` : key;
}

/** `--help`: every flag, its environment variable and what it means. */
export function commandLineHelp(): string {
  const rows = Object.entries(ENV_KEYS).map(([name, key]) => {
    const flag = `--${flagOf(key)}${SWITCHES.has(key) ? "" : " <value>"}`;
    return `  ${flag.padEnd(30)} ${name.padEnd(27)} ${SETTING_HELP[name] ?? ""}`;
  });
  return [
    "Usage: npm start -- [flags]   (also npm run demo -- [flags], npm run doctor -- [flags])",
    "",
    "Every flag has an environment variable of the same meaning; a flag wins over it, and it over",
    "parley.config.json (the same keys in camelCase). On/off flags: --private turns on, --no-private off.",
    "",
    `  ${"--config <file>".padEnd(30)} ${"PARLEY_CONFIG".padEnd(27)} a JSON file of settings (default ./parley.config.json)`,
    `  ${"--help".padEnd(30)} ${"".padEnd(27)} this list`,
    ...rows,
    "",
  ].join("\n");
}
