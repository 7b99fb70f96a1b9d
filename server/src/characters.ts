/** Loads character configs (one JSON file each) and checks they form a valid cast. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CharacterConfig } from "@parley/shared";

export class CharacterConfigError extends Error {}

export async function loadCharacters(dir: string): Promise<CharacterConfig[]> {
  const files = (await readdir(dir).catch((err: unknown) => {
    throw new CharacterConfigError(`cannot read characters from ${dir}: ${(err as Error).message}`);
  })).filter((f) => f.endsWith(".json")).sort();
  const out: CharacterConfig[] = [];
  for (const f of files) {
    let raw: unknown;
    try { raw = JSON.parse(await readFile(join(dir, f), "utf8")); } catch (err) {
      throw new CharacterConfigError(`${f}: not valid JSON (${(err as Error).message})`);
    }
    const r = CharacterConfig.safeParse(raw);
    if (!r.success) throw new CharacterConfigError(`${f}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    out.push(r.data);
  }
  const ids = new Set<string>();
  for (const c of out) {
    if (ids.has(c.id)) throw new CharacterConfigError(`two characters share the id "${c.id}"`);
    ids.add(c.id);
  }
  if (out.length === 0) throw new CharacterConfigError(`no characters in ${dir}`);
  if (out.length > 6) throw new CharacterConfigError(`at most 6 characters sit at the table (found ${out.length})`);
  return out;
}
