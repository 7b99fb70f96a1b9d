import { describe, it, expect } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCommandLine, commandLineHelp, loadConfig, ENV_KEYS, flagOf, ConfigError, type ParleyConfig } from "./config.js";
import { SETTING_HELP } from "./configHelp.js";

const configOf = (argv: string[], env: NodeJS.ProcessEnv = {}): ParleyConfig => {
  const cli = loadCommandLine(argv, env);
  if (cli.help) throw new Error("asked for help");
  return cli.config;
};

describe("flags", () => {
  it("set what the environment variables set, in every shell's syntax", () => {
    const c = configOf(["--host", "0.0.0.0", "--language", "ru", "--private", "--port", "2568", "--llm-url=http://127.0.0.1:11434/v1", "--llm-model", "qwen2.5:7b", "--threads", "3"]);
    const e = loadConfig({ HOST: "0.0.0.0", PARLEY_LANGUAGE: "ru", PARLEY_PRIVATE: "1", PORT: "2568", PARLEY_LLM_URL: "http://127.0.0.1:11434/v1", PARLEY_LLM_MODEL: "qwen2.5:7b", PARLEY_THREADS: "3" });
    expect(c).toEqual(e);
    expect(c).toMatchObject({ host: "0.0.0.0", language: "ru", private: true, port: 2568, llmModel: "qwen2.5:7b", threads: 3 });
  });

  it("win over the environment, which wins over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-flags-"));
    try {
      const file = join(dir, "parley.json");
      writeFileSync(file, JSON.stringify({ port: 3000, language: "zh", maxTokens: 99 }));
      const c = configOf(["--config", file, "--port", "3001", "--no-private"], { PARLEY_LANGUAGE: "ru", PARLEY_PRIVATE: "1" });
      expect(c).toMatchObject({ port: 3001, language: "ru", maxTokens: 99, private: false });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it("exist for every environment variable, each with a line in --help", () => {
    const help = commandLineHelp();
    for (const [name, key] of Object.entries(ENV_KEYS)) {
      expect(SETTING_HELP[name], `help for ${name}`).toBeTruthy();
      expect(help).toMatch(new RegExp(`--${flagOf(key)}\\b.*${name}`));
    }
    expect(Object.keys(SETTING_HELP).filter((n) => !(n in ENV_KEYS))).toEqual([]);
    expect(loadCommandLine(["--help"], {})).toEqual({ help: true });
  });

  it("name the flag and its variable when a value is wrong, and point at --help for an unknown one", () => {
    expect(() => configOf(["--port", "many"])).toThrow(/port \(--port, PORT\)/);
    expect(() => configOf(["--language", "fr"])).toThrow(/--language, PARLEY_LANGUAGE/);
    expect(() => configOf(["--colour", "red"])).toThrow(ConfigError);
    expect(() => configOf(["--colour", "red"])).toThrow(/--help/);
    expect(() => configOf(["stray"])).toThrow(ConfigError);
  });

  it("--demo is the demo, as npm run demo passes it", () => {
    expect(configOf(["--demo"]).demo).toBe(true);
    expect(configOf([]).demo).toBe(false);
  });
});
