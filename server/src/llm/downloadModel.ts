/**
 * Fetches the LLM's GGUF into the cache (node-llama-cpp's downloader), the way
 * a user on a slow or missing network needs it:
 * - a file fetched before is used as it is, even offline;
 * - a host that cannot be reached is said so within seconds, not after the stall
 *   watchdog (the downloader would retry a dead host for ever);
 * - the watchdog restarts on every byte, so a slow but healthy download lives.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createModelDownloader } from "node-llama-cpp";
import { resolveModelUri } from "../models/fetchModelFile.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export interface DownloadOptions {
  uri: string;
  name: string;
  cacheDir: string;
  offline: boolean;
  /** no byte for this long fails the download, ms */
  stallMs: number;
  /** how long to wait for the host to answer at all, ms */
  reachMs?: number;
  signal: AbortSignal;
  onProgress: (progress: number, done: number, total: number) => void;
}

const INDEX = "downloads.json";

async function readIndex(dir: string): Promise<Record<string, string>> {
  try { return JSON.parse(await readFile(join(dir, INDEX), "utf8")) as Record<string, string>; } catch { return {}; }
}

/** The cached file for a model URI, if one was downloaded before. */
export async function cachedModel(cacheDir: string, uri: string): Promise<string | null> {
  const file = (await readIndex(join(cacheDir, "models")))[uri];
  return file && existsSync(file) ? file : null;
}

/** Fails fast when the model's host cannot be reached at all; any HTTP answer will do. */
export async function checkReachable(uri: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const url = resolveModelUri(uri);
  const host = new URL(url).host;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: "HEAD", redirect: "manual", signal: AbortSignal.any([signal, timeout]) });
    await res.body?.cancel();
  } catch (err) {
    if (signal.aborted) throw err;
    const why = timeout.aborted ? `no answer in ${Math.round(timeoutMs / 1000)} s` : errorMessage((err as { cause?: unknown }).cause ?? err);
    throw new Error(`cannot reach ${host} (${why}); check the network, or set PARLEY_MODEL to a .gguf file you have`, { cause: err });
  }
}

export async function downloadModel(o: DownloadOptions): Promise<string> {
  const dir = join(o.cacheDir, "models");
  const cached = await cachedModel(o.cacheDir, o.uri);
  if (cached) return cached;
  if (o.offline) throw new Error(`offline mode: ${o.name} is not in the cache (${dir}) and cannot be downloaded`);
  await checkReachable(o.uri, o.reachMs ?? 8000, o.signal);
  log.info(`LLM: fetching ${o.name} into ${dir}`);
  const stall = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let rejectStall!: (err: Error) => void;
  const stalled = new Promise<never>((_, reject) => { rejectStall = reject; });
  stalled.catch(() => {});
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const err = new Error(`cannot download ${o.name} (no data for ${Math.round(o.stallMs / 1000)} s)`);
      stall.abort(err);
      rejectStall(err);
    }, o.stallMs);
  };
  const onClose = (): void => stall.abort(new Error("closed"));
  o.signal.addEventListener("abort", onClose);
  let last = -1;
  try {
    arm();
    const downloader = await Promise.race([
      createModelDownloader({
        modelUri: o.uri, dirPath: dir, skipExisting: true, deleteTempFileOnCancel: false,
        onProgress: ({ totalSize, downloadedSize }) => {
          // every byte proves the download alive, however slow
          if (downloadedSize !== last) { last = downloadedSize; arm(); }
          o.onProgress(totalSize > 0 ? downloadedSize / totalSize : 0, downloadedSize, totalSize);
        },
      }).catch((err: unknown) => { throw new Error(`cannot download ${o.name} (${errorMessage(err)})`, { cause: err }); }),
      stalled,
    ]);
    const path = await Promise.race([downloader.download({ signal: stall.signal }), stalled]);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, INDEX), JSON.stringify({ ...(await readIndex(dir)), [o.uri]: path }, null, 2));
    return path;
  } finally {
    clearTimeout(timer);
    stall.abort();
    o.signal.removeEventListener("abort", onClose);
  }
}
