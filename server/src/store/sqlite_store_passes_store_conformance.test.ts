import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeStore } from "./storeConformance.js";
import { SqliteStore } from "./SqliteStore.js";

const dirs: string[] = [];
let path = "";
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describeStore("sqlite", {
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "parley-store-"));
    dirs.push(dir);
    path = join(dir, "parley.sqlite");
    return SqliteStore.open(path);
  },
  async reopen() { return SqliteStore.open(path); },
});
