/** Console logging with levels; `quiet` keeps tests' output clean. */
let quiet = false;
export const setQuiet = (q: boolean): void => { quiet = q; };

const ts = (): string => new Date().toISOString().slice(11, 19);
let lastProgressLine = 0;

export const log = {
  info: (msg: string): void => { if (!quiet) console.log(`${ts()} ${msg}`); },
  warn: (msg: string): void => { if (!quiet) console.warn(`${ts()} warning: ${msg}`); },
  error: (msg: string): void => { console.error(`${ts()} error: ${msg}`); },
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
