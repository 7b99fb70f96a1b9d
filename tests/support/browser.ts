/** Debian's Chromium driven by playwright-core, headless, with flags that work as root and offline. */
import { chromium, type Browser, type Page } from "playwright-core";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? "/usr/bin/chromium";

export function chromiumArgs(extra: string[] = []): string[] {
  return [
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--autoplay-policy=no-user-gesture-required",
    ...extra,
  ];
}

export async function launchChromium(extra: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with apt-get install chromium (see .ci/run)`);
  // playwright gives every launch a fresh, temporary profile
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(extra) });
}

/**
 * The person at this page wears headphones: the page's echo-cancelling WebRTC loop stays off
 * (benchmarks measure with it off, and report the delay it adds with speakers separately).
 */
export async function withHeadphones(page: Page): Promise<void> {
  await page.addInitScript({ content: `try { localStorage.setItem("parley.speakerEcho", "off"); } catch { /* no storage */ }` });
}
