/** The machine's measured profile, kept in the cache: `npm run doctor` writes it, the first start adds to it. */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { MachineProfile } from "./measure.js";

export const profilePath = (cacheDir: string): string => join(cacheDir, "machine.json");

export async function readProfile(cacheDir: string): Promise<MachineProfile | null> {
  try { return JSON.parse(await readFile(profilePath(cacheDir), "utf8")) as MachineProfile; } catch { return null; }
}

export async function writeProfile(cacheDir: string, p: MachineProfile): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFile(profilePath(cacheDir), JSON.stringify(p, null, 2));
}

/** Records that a default model answered too slowly here, so the next start skips it. */
export async function markTooSlow(cacheDir: string, modelId: string): Promise<void> {
  const p = (await readProfile(cacheDir)) ?? { at: new Date().toISOString(), voices: [], notes: [], tooSlow: [] };
  if (!p.tooSlow.includes(modelId)) p.tooSlow.push(modelId);
  await writeProfile(cacheDir, p);
}
