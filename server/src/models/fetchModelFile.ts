/**
 * Gets a model file the way every provider needs it: a local path as is, or an
 * http(s)/hf: URI downloaded once into the cache with progress (server log and
 * UI), a stall watchdog and an atomic rename. Offline, a clear reason instead.
 */
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { once } from "node:events";
import type { ModelStatus, ModelState } from "./ModelStatus.js";
import { log } from "../util/log.js";

export interface FetchModelOptions {
  cacheDir: string;
  offline: boolean;
  status: ModelStatus;
  /** ModelStatus id and labels for the UI */
  id: string;
  kind: ModelState["kind"];
  name: string;
  /** fail when no byte arrives for this long, ms */
  stallMs?: number;
  signal?: AbortSignal;
}

/** A model file could not be had; `retryable` unless the server said it does not exist. */
export class ModelFetchError extends Error {
  constructor(message: string, readonly retryable = true, options?: { cause?: unknown }) { super(message, options); }
}

let hfEndpoint = "https://huggingface.co";
/** Where hf: URIs are fetched from (PARLEY_HF_ENDPOINT: a mirror, or a local server in tests). */
export const setHfEndpoint = (url: string): void => { hfEndpoint = url.replace(/\/+$/, ""); };

/** hf:owner/repo/path/in/repo[#revision] -> its download URL */
export function resolveModelUri(uri: string): string {
  const m = /^hf:([^/]+\/[^/]+)\/(.+?)(?:#(.+))?$/.exec(uri);
  if (m) return `${hfEndpoint}/${m[1]}/resolve/${m[3] ?? "main"}/${m[2]}`;
  return uri;
}

/** Where a downloaded URI lives in the cache. */
export function cachePathFor(cacheDir: string, uri: string): string {
  const u = new URL(resolveModelUri(uri));
  const safe = `${u.host}${u.pathname}`.replace(/[^A-Za-z0-9._/-]/g, "_").replace(/\.\.+/g, ".");
  return join(cacheDir, "models", safe);
}

export const isRemote = (s: string): boolean => /^(https?:|hf:)/.test(s);

export async function fetchModelFile(uriOrPath: string, o: FetchModelOptions): Promise<string> {
  if (!isRemote(uriOrPath)) {
    const p = resolve(uriOrPath);
    if (!existsSync(p)) throw new ModelFetchError(`model file not found: ${p}`);
    o.status.report(o.id, { kind: o.kind, name: o.name, progress: 1, ready: true, error: "" });
    return p;
  }
  const dest = cachePathFor(o.cacheDir, uriOrPath);
  if (existsSync(dest)) {
    o.status.report(o.id, { kind: o.kind, name: o.name, progress: 1, ready: true, error: "" });
    return dest;
  }
  if (o.offline) {
    const msg = `offline: cannot download ${o.name} from ${uriOrPath}; put the file at ${dest} or configure a local path`;
    o.status.report(o.id, { kind: o.kind, name: o.name, error: msg });
    throw new ModelFetchError(msg);
  }
  const url = resolveModelUri(uriOrPath);
  const stallMs = o.stallMs ?? 60_000;
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => { clearTimeout(timer); timer = setTimeout(() => ac.abort(new ModelFetchError(`no data from ${new URL(url).host} for ${stallMs} ms`)), stallMs); };
  const part = `${dest}.${process.pid}.part`;
  try {
    arm();
    log.info(`fetching ${o.name} from ${url}`);
    o.status.report(o.id, { kind: o.kind, name: o.name, progress: 0, ready: false, error: "" });
    const res = await fetch(url, { signal: ac.signal, redirect: "follow" });
    if (!res.ok || !res.body) throw new ModelFetchError(`${url} answered ${res.status}`, res.status >= 500 || res.status === 429 || res.status === 408);
    const total = Number(res.headers.get("content-length") ?? 0);
    await mkdir(dirname(dest), { recursive: true });
    const out = createWriteStream(part);
    let done = 0;
    let lastReport = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      if (!out.write(chunk)) await once(out, "drain");
      done += chunk.byteLength;
      const progress = total > 0 ? done / total : 0;
      if (progress - lastReport >= 0.01) {
        lastReport = progress;
        o.status.report(o.id, { kind: o.kind, name: o.name, progress });
        log.progress(`downloading ${o.name}`, done, total);
      }
    }
    out.end();
    await once(out, "finish");
    if (total > 0 && (await stat(part)).size !== total) throw new ModelFetchError(`download of ${o.name} was cut short`);
    await rename(part, dest);
    o.status.report(o.id, { kind: o.kind, name: o.name, progress: 1, ready: true, error: "" });
    return dest;
  } catch (err) {
    await rm(part, { force: true });
    const reason = ac.signal.reason instanceof ModelFetchError ? ac.signal.reason.message : err instanceof Error ? err.message : String(err);
    const msg = `cannot download ${o.name}: ${reason}`;
    o.status.report(o.id, { kind: o.kind, name: o.name, error: msg });
    throw new ModelFetchError(msg, !(err instanceof ModelFetchError) || err.retryable, { cause: err });
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
  }
}
