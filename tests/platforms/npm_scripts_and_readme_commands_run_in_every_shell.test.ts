/**
 * On Windows npm runs scripts with cmd.exe, and people type the README's
 * commands into PowerShell. So no npm script may need a POSIX shell, and every
 * README command that starts Parley passes its settings as flags, which every
 * shell passes through unchanged, and which Parley must accept.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCommandLine } from "../../server/src/config.js";

const ROOT = resolve(import.meta.dirname, "../..");
const readJson = (path: string): { workspaces?: string[]; scripts?: Record<string, string> } => JSON.parse(readFileSync(path, "utf8")) as never;

/** what only a POSIX shell understands, and what cmd.exe does with it */
const POSIX_ONLY: [RegExp, string][] = [
  [/(^|&&|\|\||;)\s*[A-Z_][A-Z0-9_]*=\S*\s/, "a variable set before a command"],
  [/\$[A-Za-z_{(]/, "a variable expanded by the shell"],
  [/'/, "single quotes (cmd passes them on)"],
  [/;/, "; between commands"],
  [/`/, "backquotes"],
  [/(^|\s)(rm|cp|mv|mkdir|export|cat|sleep|test|true|false)\s/, "a POSIX command"],
  [/\/dev\/null|2>&1|\s&\s*$|\s&\s/, "POSIX redirection or a background job"],
];

describe("npm scripts", () => {
  const root = readJson(join(ROOT, "package.json"));
  const files = ["package.json", ...(root.workspaces ?? []).map((w) => join(w, "package.json"))];
  it("need no POSIX shell, in any package", () => {
    const bad: string[] = [];
    let scripts = 0;
    for (const f of files) {
      for (const [name, command] of Object.entries(readJson(join(ROOT, f)).scripts ?? {})) {
        scripts++;
        for (const [re, what] of POSIX_ONLY) if (re.test(command)) bad.push(`${f} "${name}": ${what}: ${command}`);
      }
    }
    expect(scripts).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});

describe("the README's commands", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(sh|bash|powershell)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const starts = blocks.flatMap((b) => b.body.split("\n").map((line) => ({ lang: b.lang, line: line.trim() })))
    .filter(({ line }) => /(^|\s)npm (start|run demo|run doctor)\b/.test(line));

  it("start Parley with flags, which Parley accepts", () => {
    expect(starts.length).toBeGreaterThan(5);
    for (const { line } of starts) {
      const args = line.split(/\s+--\s+/)[1]?.split(/\s+/).filter((a) => a && !a.startsWith("#")) ?? [];
      expect(() => loadCommandLine(args, {}), line).not.toThrow();
      // in bash no variable is set before the command (that is what PowerShell and cmd cannot do)
      expect(line, line).not.toMatch(/^[A-Z_][A-Z0-9_]*=/);
    }
  });

  it("show the PowerShell form where an environment variable is still set", () => {
    const envInSh = blocks.filter((b) => b.lang !== "powershell").some((b) => /^export [A-Z_]+=/m.test(b.body));
    const ps = blocks.filter((b) => b.lang === "powershell");
    expect(ps.length).toBeGreaterThan(0);
    for (const b of ps) for (const line of b.body.split("\n").filter((l) => /^\$env:/.test(l))) expect(line).toMatch(/^\$env:[A-Z_]+ = "[^"]*"(; .*)?$/);
    if (envInSh) expect(ps.some((b) => b.body.includes("$env:"))).toBe(true);
  });
});
