/**
 * docs/ARCHITECTURE.md lists server/src's layers as the layer check
 * (.dependency-cruiser.mjs, run by `npm test`) enforces them, and every folder
 * and top-level file of server/src has a layer.
 */
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./config.js";

async function enforced(): Promise<string[][]> {
  const mod = (await import(pathToFileURL(join(REPO_ROOT, ".dependency-cruiser.mjs")).href)) as { SERVER_LAYERS: string[][] };
  return mod.SERVER_LAYERS;
}

function written(): string[][] {
  const doc = readFileSync(join(REPO_ROOT, "docs", "ARCHITECTURE.md"), "utf8");
  const block = /```layers\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
  return block.trim().split("\n").map((line) => line.slice(line.indexOf(":") + 1).split(",").map((s) => s.trim()));
}

describe("the server's layers", () => {
  it("are written down in the architecture page as they are enforced", async () => {
    expect(written()).toEqual(await enforced());
  });

  it("place every folder and top-level file of server/src", async () => {
    const placed = new Set((await enforced()).flat());
    const here = readdirSync(join(REPO_ROOT, "server", "src"), { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")))
      .map((e) => e.name);
    expect(here.filter((name) => !placed.has(name))).toEqual([]);
  });
});
