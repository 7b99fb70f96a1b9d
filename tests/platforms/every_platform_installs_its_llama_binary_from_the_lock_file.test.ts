/**
 * `npm ci` installs exactly the lock file. A lock written on Linux must still
 * hold the Windows and macOS builds of node-llama-cpp, or a PC or a Mac gets no
 * binary and the local model cannot load. npm's own platform resolution
 * (`--os`/`--cpu`) says what `npm ci` would add on each machine; `--offline`
 * with an empty cache proves the dry run needs nothing from the network.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

/** each machine and the node-llama-cpp builds npm must add there */
const PLATFORMS = [
  { os: "win32", cpu: "x64", binaries: ["win-x64", "win-x64-cuda", "win-x64-vulkan"] },
  { os: "win32", cpu: "arm64", binaries: ["win-arm64"] },
  { os: "darwin", cpu: "arm64", binaries: ["mac-arm64-metal"] },
  { os: "darwin", cpu: "x64", binaries: ["mac-x64"] },
  { os: "linux", cpu: "x64", binaries: ["linux-x64", "linux-x64-cuda", "linux-x64-vulkan"] },
  { os: "linux", cpu: "arm64", binaries: ["linux-arm64"] },
] as const;

let dir: string;
beforeAll(() => {
  // the project as a fresh clone has it: package files and the lock, no node_modules
  dir = mkdtempSync(join(tmpdir(), "parley-lock-"));
  const rootPkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] };
  for (const f of ["package.json", "package-lock.json", ".npmrc"]) if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dir, f));
  for (const w of rootPkg.workspaces) {
    mkdirSync(join(dir, w), { recursive: true });
    cpSync(join(ROOT, w, "package.json"), join(dir, w, "package.json"));
  }
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

async function wouldAdd(os: string, cpu: string): Promise<string[]> {
  const { stdout } = await run(process.platform === "win32" ? "npm.cmd" : "npm", [
    "ci", "--dry-run", "--ignore-scripts", `--os=${os}`, `--cpu=${cpu}`,
    "--offline", `--cache=${join(dir, "empty-cache")}`, "--no-audit", "--no-fund", "--loglevel=error",
  ], { cwd: dir, shell: process.platform === "win32", maxBuffer: 16 * 2 ** 20 });
  return stdout.split("\n").filter((l) => l.startsWith("add ")).map((l) => l.split(" ")[1]!);
}

describe("the lock file", () => {
  it("holds every build node-llama-cpp lists", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; optionalDependencies?: Record<string, string> }> };
    const entry = Object.entries(lock.packages).find(([path]) => /(^|\/)node_modules\/node-llama-cpp$/.test(path));
    expect(entry, "node-llama-cpp in the lock").toBeDefined();
    const wanted = Object.entries(entry![1].optionalDependencies ?? {});
    expect(wanted.length).toBeGreaterThan(10);
    const locked = new Map(Object.entries(lock.packages).map(([path, p]) => [path.replace(/^.*node_modules\//, ""), p.version]));
    const missing = wanted.filter(([name, version]) => locked.get(name) !== version).map(([name, version]) => `${name}@${version}`);
    expect(missing, "builds missing from package-lock.json").toEqual([]);
  });

  for (const p of PLATFORMS) {
    it(`gives ${p.os}/${p.cpu} its llama binaries, offline`, async () => {
      const added = await wouldAdd(p.os, p.cpu);
      expect(added).toContain("node-llama-cpp");
      for (const b of p.binaries) expect(added, `npm ci on ${p.os}/${p.cpu}`).toContain(`@node-llama-cpp/${b}`);
      // and nothing of another platform
      const other = added.filter((a) => a.startsWith("@node-llama-cpp/") && !(p.binaries as readonly string[]).some((b) => a.endsWith(`/${b}`)) && !a.includes(p.os === "darwin" ? "mac-" : p.os === "win32" ? "win-" : "linux-"));
      expect(other).toEqual([]);
    }, 60_000);
  }
});
