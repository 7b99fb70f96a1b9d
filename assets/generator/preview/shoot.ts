// Dev tool: renders contact sheets of the generated avatars in headless Chromium.
//   npx tsx assets/generator/preview/shoot.ts [--avatars assets/avatars] [--out assets/screenshots]
//     [--only id] [--sheets | --no-sheets] [--chromium /usr/bin/chromium] [--view '{"id":"ada","yaw":0.6}']
// Starts a throwaway static server on 127.0.0.1 (random port), drives page.js via
// playwright-core, writes PNGs, then shuts everything down.
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CAST } from "../cast.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const MIME: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".vrm": "application/octet-stream", ".json": "application/json" };

/** Serves the repo's node_modules/three*, @pixiv and the preview dir + avatars dir; nothing else. */
function serve(avatarsDir: string): Promise<{ server: Server; port: number }> {
  const allowed = [join(root, "node_modules", "three"), join(root, "node_modules", "@pixiv"), here];
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    if (url === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    let file: string;
    if (url.startsWith("/avatars/")) file = join(avatarsDir, normalize(url.slice("/avatars/".length)));
    else if (url.startsWith("/preview/")) file = join(here, normalize(url.slice("/preview/".length)));
    else file = join(root, normalize(url));
    const ok = file.startsWith(avatarsDir) || allowed.some((a) => !relative(a, file).startsWith(".."));
    if (!ok || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, port: (server.address() as { port: number }).port })));
}

function savePng(dataUrl: string, file: string): void {
  writeFileSync(file, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64"));
  console.log("wrote", relative(process.cwd(), file));
}

async function main(): Promise<void> {
  const avatarsDir = resolve(arg("--avatars") ?? join(root, "assets", "avatars"));
  const out = resolve(arg("--out") ?? join(root, "assets", "screenshots"));
  const only = arg("--only");
  const sheetsOnly = process.argv.includes("--sheets");
  const skipSheets = process.argv.includes("--no-sheets");
  mkdirSync(out, { recursive: true });
  const ids = CAST.map((d) => d.id).filter((id) => existsSync(join(avatarsDir, `${id}.vrm`)));
  const { server, port } = await serve(avatarsDir);
  const profile = mkdtempSync(join(tmpdir(), "parley-chromium-"));
  const cleanup = (): void => {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  let browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
  try {
    // A fresh profile dir per run (playwright wants it as the persistent-context dir).
    browser = await chromium.launchPersistentContext(profile, {
      viewport: { width: 800, height: 600 },
      executablePath: arg("--chromium") ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--enable-unsafe-swiftshader",
        "--use-angle=swiftshader",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  } catch (e) {
    cleanup();
    throw e;
  }
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") console.log("[page]", m.text());
    });
    page.on("pageerror", (e) => console.log("[page error]", e.message));
    await page.goto(`http://127.0.0.1:${port}/preview/page.html`);
    await page.waitForFunction(() => (window as unknown as { preview?: { ready: boolean } }).preview?.ready === true, null, { timeout: 60_000 });
    type P = Record<string, (...a: unknown[]) => Promise<string>>;
    const call = (fn: string, ...args: unknown[]): Promise<string> =>
      page.evaluate(([f, a]) => ((window as unknown as { preview: P }).preview[f as string] as (...x: unknown[]) => Promise<string>)(...(a as unknown[])), [fn, args] as const);
    const base = "/avatars";
    const faceExprs = ["neutral", "aa", "ih", "ou", "happy", "angry", "sad", "surprised", "relaxed", "blink", "lookLeft", "lookUp"];
    const viewArg = arg("--view");
    if (viewArg) {
      // --view '{"id":"ada","yaw":0.5,"pose":"t"}' for quick debugging shots.
      const v = JSON.parse(viewArg) as { id: string; name?: string };
      savePng(await call("view", v.id, base, v), join(out, `${v.name ?? v.id + "_view"}.png`));
      return;
    }
    if (!sheetsOnly) {
      for (const id of only ? [only] : ids) {
        savePng(await call("body", id, base), join(out, `${id}_body.png`));
        savePng(await call("face", id, base, faceExprs, 6, 200), join(out, `${id}_face.png`));
        savePng(await call("pose", id, base), join(out, `${id}_pose.png`));
      }
    }
    if (!skipSheets && !only) {
      savePng(await call("cast", ids, base, 1200, 560), join(out, "cast.png"));
      savePng(await call("face", "juno", base, ["neutral", "aa", "happy", "angry", "sad", "surprised", "blink", "relaxed"], 4, 280), join(out, "expressions.png"));
    }
  } finally {
    await browser.close();
    cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
