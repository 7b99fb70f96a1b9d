/** Writes the scripted demo GGUF into the cache once per script version. */
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeScriptedModel } from "./gguf/scriptedModel.js";
import { DEMO_SCRIPT } from "./gguf/demoScript.js";

export async function ensureDemoModel(dir: string): Promise<string> {
  const hash = createHash("sha256").update(JSON.stringify(DEMO_SCRIPT)).digest("hex").slice(0, 10);
  const path = join(dir, `parley-demo-${hash}.gguf`);
  if (!existsSync(path)) await writeScriptedModel(path, DEMO_SCRIPT, { name: "Parley demo (scripted)" });
  return path;
}
