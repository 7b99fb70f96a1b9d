/**
 * `npm run bench [-- --json FILE] [--only section,...] [--runs N]`: measures
 * Parley's figures (medians over runs, ratios against baselines measured in the
 * same run) and prints a table. Never a pass/fail test.
 */
import { writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { benchPipeline } from "./pipeline.js";
import { benchDirector } from "./director.js";
import { benchLlm } from "./llm.js";
import { benchAsr } from "./asr.js";
import { benchTts } from "./tts.js";
import { benchRender } from "./render.js";
import { benchBargein } from "./bargein.js";
import { benchVoice } from "./voice.js";
import { benchXr } from "./xr.js";
import { benchSoak } from "./soak.js";
import { benchFriends } from "./friends.js";
import { benchScale } from "./scale.js";
import type { Section } from "./stats.js";

const SECTIONS: Record<string, (runs: number) => Promise<Section>> = {
  pipeline: (runs) => benchPipeline(Math.max(20, runs)),
  director: (runs) => benchDirector(runs),
  llm: (runs) => benchLlm(runs),
  tts: (runs) => benchTts(runs),
  render: (runs) => benchRender(runs),
  asr: (runs) => benchAsr(runs),
  bargein: (runs) => benchBargein(runs),
  voice: (runs) => benchVoice(runs),
  xr: (runs) => benchXr(runs),
  friends: (runs) => benchFriends(runs),
  soak: () => benchSoak(),
  scale: () => benchScale(),
};

/** Sections that run only when asked for by name (--only): they take half an hour. */
const ON_REQUEST = new Set(["soak"]);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function printTable(report: Record<string, unknown>): void {
  const rows: [string, string][] = [];
  const walk = (obj: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(obj)) {
      if (k === "meta" || k === "skipped" || k === "notes") continue;
      if (v && typeof v === "object" && !("p50" in v) && !Array.isArray(v)) walk(v as Record<string, unknown>);
      else rows.push([k, typeof v === "object" ? JSON.stringify(v) : String(v)]);
    }
  };
  walk(report);
  const skipped = (report.skipped ?? {}) as Record<string, string>;
  // a run where every section was skipped still prints why
  const w = Math.max(8, ...rows.map((r) => r[0].length), ...Object.keys(skipped).map((k) => k.length));
  console.log("\nParley benchmark");
  console.log("-".repeat(w + 40));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  for (const [k, why] of Object.entries(skipped)) console.log(`${k.padEnd(w)}  skipped: ${why}`);
  for (const n of (report.notes ?? []) as string[]) console.log(`note: ${n}`);
}

async function main(): Promise<void> {
  const runs = Number(arg("runs") ?? 20);
  const only = arg("only")?.split(",");
  const report: Record<string, unknown> = {
    meta: { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, ramGb: Math.round(totalmem() / 2 ** 30), loadAverage: loadavg().map((l) => Math.round(l * 10) / 10) },
  };
  const skipped: Record<string, string> = {};
  const notes: string[] = [];
  for (const [name, run] of Object.entries(SECTIONS)) {
    if (only ? !only.includes(name) : ON_REQUEST.has(name)) continue;
    process.stdout.write(`measuring ${name}...\n`);
    try {
      const s = await run(runs);
      for (const [k, v] of Object.entries(s.figures)) report[k] = v;
      Object.assign(skipped, s.skipped ?? {});
      notes.push(...(s.notes ?? []));
    } catch (err) {
      // one section that cannot run here (no Chromium, say) must not lose the others
      skipped[name] = `could not run: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
    }
  }
  report.skipped = skipped;
  report.notes = notes;
  printTable(report);
  const json = arg("json");
  if (json) {
    await writeFile(json, JSON.stringify(report, null, 2));
    console.log(`\nwrote ${json}`);
  }
}

main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
