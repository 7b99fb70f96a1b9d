/** Console logging with levels; `quiet` keeps tests' output clean. */
let quiet = false;
let tracing = false;
export const setQuiet = (q: boolean): void => { quiet = q; };
/** PARLEY_TRACE=1: every decision of the director and every voice event, for debugging */
export const setTrace = (t: boolean): void => { tracing = t; };

const ts = (): string => new Date().toISOString().slice(11, 19);
let lastProgressLine = 0;
/** when each kind of repeated error was last logged, ms */
const lastOnce = new Map<string, number>();

export const log = {
  info: (msg: string): void => { if (!quiet) console.log(`${ts()} ${msg}`); },
  warn: (msg: string): void => { if (!quiet) console.warn(`${ts()} warning: ${msg}`); },
  trace: (msg: () => string): void => { if (tracing) console.error(`${ts()} ${performance.now().toFixed(0)} trace: ${msg()}`); },
  error: (msg: string): void => { console.error(`${ts()} error: ${msg}`); },
  /** an error that may repeat: logged at most once a minute per `kind`, one line, no stack */
  errorOnce: (kind: string, msg: string): void => {
    const t = Date.now();
    if (t - (lastOnce.get(kind) ?? -Infinity) < 60_000) return;
    lastOnce.set(kind, t);
    if (lastOnce.size > 1000) lastOnce.clear();
    console.error(`${ts()} error: ${msg.split("\n")[0]!.slice(0, 500)}`);
  },
  /** a progress bar: redrawn in place on a terminal, every 10% otherwise */
  progress: (label: string, done: number, total: number): void => {
    if (quiet) return;
    const frac = total > 0 ? done / total : 0;
    const width = 30;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    const line = `${label} [${bar}] ${(frac * 100).toFixed(0)}% ${(done / 2 ** 20).toFixed(0)}/${(total / 2 ** 20).toFixed(0)} MiB`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}${frac >= 1 ? "\n" : ""}`);
    } else if (Math.floor(frac * 10) > lastProgressLine || frac >= 1) {
      lastProgressLine = Math.floor(frac * 10);
      console.log(line);
    }
  },
};
