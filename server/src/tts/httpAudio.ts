/**
 * An HTTP request whose body is audio, read chunk by chunk as it arrives, with
 * the failures a user can act on turned into clear TtsErrors: server not
 * running, HTTP error status (with the server's own message), no answer in
 * time, and a stream that breaks off midway.
 */
import { TtsError } from "../util/errors.js";
import type { TtsPiece } from "./types.js";
import { MAX_PIECE_SAMPLES, piecesOf, resampleLinear } from "./pcm.js";
import { PcmStreamDecoder } from "./PcmStreamDecoder.js";

export interface AudioRequest {
  /** for messages: "OpenAI speech server", "GPT-SoVITS" */
  label: string;
  url: string;
  init: RequestInit;
  signal: AbortSignal;
  /** the first byte must come within this, ms */
  firstByteMs: number;
  /** and then no gap longer than this, ms */
  stallMs: number;
}

/** Why a fetch failed to connect, in words a user can act on. */
export function connectionProblem(err: unknown, label: string, url: string): TtsError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? "";
  const host = (() => { try { return new URL(url).host; } catch { return url; } })();
  if (code === "ECONNREFUSED") return new TtsError(`cannot reach ${label} at ${host}: connection refused (is it running?)`, true, { cause: err });
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new TtsError(`cannot reach ${label}: host ${host} not found`, true, { cause: err });
  const why = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new TtsError(`cannot reach ${label} at ${host}: ${why}`, true, { cause: err });
}

/** The server's own explanation from an error body (JSON `message`/`error.message`/`detail`, or the text). */
export async function errorDetail(res: Response): Promise<string> {
  const text = (await res.text().catch(() => "")).slice(0, 2000);
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } | string; detail?: unknown; Exception?: unknown };
    const m = j.message ?? (typeof j.error === "string" ? j.error : j.error?.message) ?? j.detail;
    const extra = j.Exception ? ` (${String(j.Exception)})` : "";
    if (m !== undefined) return (typeof m === "string" ? m : JSON.stringify(m)) + extra;
  } catch { /* not JSON: the text itself */ }
  return text.trim().slice(0, 300) || res.statusText;
}

/** Yields the body's chunks; stops quietly when `signal` aborts; closes the connection when the consumer stops early. */
export async function* audioChunks(req: AudioRequest): AsyncGenerator<Uint8Array> {
  if (req.signal.aborted) return;
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(req.signal.reason);
  req.signal.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let timedOut: TtsError | null = null;
  const arm = (ms: number, what: string): void => {
    clearTimeout(timer);
    timer = setTimeout(() => { timedOut = new TtsError(`${req.label} at ${new URL(req.url).host} ${what}`, true); ac.abort(timedOut); }, ms);
  };
  let bytes = 0;
  try {
    arm(req.firstByteMs, `did not answer within ${req.firstByteMs} ms`);
    let res: Response;
    try {
      res = await fetch(req.url, { ...req.init, signal: ac.signal });
    } catch (err) {
      if (req.signal.aborted) return;
      throw timedOut ?? connectionProblem(err, req.label, req.url);
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      throw new TtsError(`${req.label} answered HTTP ${res.status}: ${detail}`, res.status >= 500 || res.status === 429);
    }
    if (!res.body) throw new TtsError(`${req.label} sent no audio`);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm(req.stallMs, `stopped sending audio for ${req.stallMs} ms`);
        bytes += chunk.byteLength;
        yield chunk;
        if (req.signal.aborted) return;
      }
    } catch (err) {
      if (req.signal.aborted) return;
      throw timedOut ?? new TtsError(`${req.label} broke off the audio after ${bytes} bytes: ${errorText(err)}`, true, { cause: err });
    }
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener("abort", onAbort);
    // closes the connection when the consumer stopped early or the server is still sending
    ac.abort();
  }
}

function errorText(err: unknown): string {
  const cause = (err as { cause?: { message?: string; code?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** Reads just enough of a WAV body to know its rate, then hangs up. */
export async function probeWavRate(req: AudioRequest): Promise<number> {
  const decoder = new PcmStreamDecoder();
  for await (const chunk of audioChunks(req)) {
    decoder.push(chunk);
    if (decoder.format) return decoder.format.sampleRate;
  }
  if (req.signal.aborted) throw new TtsError(`${req.label}: probe aborted`, true);
  throw new TtsError(`${req.label} answered without a WAV header`);
}

/**
 * Pieces from an audio body. `rate` is the rate already announced for the voice;
 * a stream that turns out to have another rate (the server changed models) is
 * resampled to it rather than played at the wrong speed.
 */
export async function* decodePieces(chunks: AsyncIterable<Uint8Array>, decoder: PcmStreamDecoder, rate: number, signal: AbortSignal, maxPieceSamples = MAX_PIECE_SAMPLES): AsyncGenerator<TtsPiece> {
  let offset = 0;
  for await (const chunk of chunks) {
    let pcm = decoder.push(chunk);
    const actual = decoder.format?.sampleRate;
    if (actual && actual !== rate) pcm = resampleLinear(pcm, actual, rate);
    for (const piece of piecesOf(pcm, [], offset, maxPieceSamples)) {
      if (signal.aborted) return;
      yield piece;
    }
    offset += pcm.length;
  }
  if (!signal.aborted) decoder.end();
}
