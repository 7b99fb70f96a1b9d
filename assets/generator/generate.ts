// CLI: npx tsx assets/generator/generate.ts [--out assets/avatars] [--only id]
// Writes <id>.vrm for every description in cast.ts (deterministic output).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CAST } from "./cast.js";
import { generateVrm } from "./exportVrm.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const out = resolve(arg("--out") ?? join(here, "..", "avatars"));
  const only = arg("--only");
  const list = only ? CAST.filter((d) => d.id === only) : CAST;
  if (list.length === 0) throw new Error(`no avatar with id "${only ?? ""}"`);
  mkdirSync(out, { recursive: true });
  for (const d of list) {
    const t0 = performance.now();
    const { bytes, stats } = await generateVrm(d);
    const file = join(out, `${d.id}.vrm`);
    writeFileSync(file, bytes);
    const ms = Math.round(performance.now() - t0);
    console.log(
      `${d.id.padEnd(6)} ${(bytes.length / 1024).toFixed(0).padStart(5)} KiB  ${String(stats.triangles).padStart(6)} tris  ${String(stats.vertices).padStart(6)} verts  ${String(stats.drawCalls).padStart(2)} draws  ${stats.springJoints} spring joints  ${ms} ms  [${stats.materials.join(" ")}]`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
