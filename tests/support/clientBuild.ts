/** Makes sure the built client exists (npm test builds it first; a lone vitest run may not have). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "../../server/src/config.js";

export function ensureClientBuilt(): string {
  const dist = join(REPO_ROOT, "client", "dist");
  if (!existsSync(join(dist, "index.html"))) {
    execFileSync("npx", ["vite", "build", "client", "--logLevel", "warn"], { cwd: REPO_ROOT, stdio: "inherit" });
  }
  return dist;
}
