/** Reading window.parleyDebug from a page, and waiting for a condition on it. */
import type { Page } from "playwright-core";
import type { ParleyDebug } from "./debugTypes.js";

export const readDebug = (page: Page): Promise<ParleyDebug> => page.evaluate(() => (window as unknown as { parleyDebug: ParleyDebug }).parleyDebug);

/** Polls the page's diagnostics until `ok`; the timeout error shows the last snapshot. */
export async function waitForDebug(page: Page, ok: (d: ParleyDebug) => boolean, timeoutMs: number, what: string, everyMs = 30): Promise<ParleyDebug> {
  const t0 = Date.now();
  for (;;) {
    const d = await readDebug(page);
    if (ok(d)) return d;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(d).slice(0, Number(process.env.PARLEY_DEBUG_CHARS ?? 800))}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
