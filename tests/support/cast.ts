/** A characters/ folder for tests that seat more than the bundled three. */
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../server/src/config.js";

const EXTRA: Record<string, object> = {
  // temperature 0: the demo model answers with its first line, "[happy] Hello, ...", every time
  mira: { id: "mira", name: "Mira", persona: "A warm storyteller who loves old myths.", talkativeness: 0.5, temperature: 0, voice: { provider: "espeak", voice: "en-gb+f2", speed: 1, pitch: 60 }, avatar: "mira.vrm", color: "#d98f3f" },
  kenji: { id: "kenji", name: "Kenji", persona: "A precise, polite accountant with a dry sense of humour.", talkativeness: 0.3, voice: { provider: "espeak", voice: "en-us+m2", speed: 0.95, pitch: 40 }, avatar: "kenji.vrm", color: "#4f9ad9" },
  lena: { id: "lena", name: "Lena", persona: "A curious student who asks a lot of questions.", talkativeness: 0.7, voice: { provider: "espeak", voice: "en-us+f5", speed: 1.1, pitch: 68 }, avatar: "lena.vrm", color: "#b07fd9" },
};

/**
 * Writes the bundled characters plus `extra` ones into a fresh folder; returns its
 * path. `overrides` changes fields of the bundled ones (temperature 0 makes the
 * demo model's reply the same every time).
 */
export function castDir(extra: (keyof typeof EXTRA)[], overrides: Record<string, Record<string, unknown>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "parley-cast-"));
  for (const id of ["ada", "theo", "juno"]) {
    const c = { ...(JSON.parse(readFileSync(join(REPO_ROOT, "characters", `${id}.json`), "utf8")) as Record<string, unknown>), ...overrides[id] };
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(c));
  }
  for (const id of extra) writeFileSync(join(dir, `${id}.json`), JSON.stringify(EXTRA[id]));
  return dir;
}
