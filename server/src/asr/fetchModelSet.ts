/**
 * A recognizer is several files (encoder, decoder, joiner, tokens, configs). They are
 * fetched one after another with `fetchModelFile`, reported to the UI as one model:
 * progress is the share of files done plus the current file's share, "ready" only
 * when every file is in, and the first failure's reason.
 */
import { fetchModelFile, isRemote } from "../models/fetchModelFile.js";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { AsrError } from "./errors.js";

export interface ModelSetOptions {
  cacheDir: string;
  offline: boolean;
  status: ModelStatus;
  /** ModelStatus id and label, e.g. "asr:whisper:base", "Whisper base" */
  id: string;
  name: string;
  stallMs?: number;
  signal?: AbortSignal;
}

/** Fetches every file (key -> URI or local path); resolves to key -> local path. */
export async function fetchModelSet<K extends string>(files: Record<K, string>, o: ModelSetOptions): Promise<Record<K, string>> {
  const entries = Object.entries(files) as [K, string][];
  const out = {} as Record<K, string>;
  const kind: ModelState["kind"] = "asr";
  o.status.report(o.id, { kind, name: o.name, progress: 0, ready: false, error: "" });
  for (let i = 0; i < entries.length; i++) {
    const [key, uri] = entries[i]!;
    // a private status per file, folded into the set's
    const fileStatus = new ModelStatus();
    fileStatus.on("change", (s) => {
      if (s.error) return;
      o.status.report(o.id, { kind, name: o.name, progress: Math.min(0.999, (i + s.progress) / entries.length), ready: false });
    });
    try {
      out[key] = await fetchModelFile(uri, {
        cacheDir: o.cacheDir, offline: o.offline, status: fileStatus, id: `${o.id}:${key}`, kind, name: `${o.name} (${key})`,
        ...(o.stallMs !== undefined ? { stallMs: o.stallMs } : {}), ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      o.status.report(o.id, { kind, name: o.name, ready: false, error: reason });
      // a download can work next time; a missing local file or offline mode will not
      throw new AsrError(reason, !o.offline && isRemote(uri), { cause: err });
    }
  }
  o.status.report(o.id, { kind, name: o.name, progress: 1, ready: true, error: "" });
  return out;
}
