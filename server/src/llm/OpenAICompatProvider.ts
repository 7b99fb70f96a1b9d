/**
 * Any server that speaks OpenAI's chat completions API with streaming:
 * Ollama, LM Studio, llama-server, vLLM, LocalAI or a cloud API.
 */
import type { LlmProvider, LlmRequest, ChooseRequest } from "./types.js";
import { LlmError, isAbortError, errorMessage } from "../util/errors.js";

export interface OpenAICompatOptions {
  /** e.g. http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /**
   * The reply fails when the server gives no text for this long: before the first
   * token, and between tokens. Keep-alive comments and empty events do not count
   * as text. ms
   */
  idleTimeoutMs: number;
}

export const OPENAI_COMPAT_DEFAULTS = { idleTimeoutMs: 12_000 } as const;

interface StreamChoice { delta?: { content?: unknown; reasoning_content?: unknown }; finish_reason?: string | null }

/** The text of a delta's content: a string, or the text parts of a list; anything else is not speech. */
export function deltaText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: unknown) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("");
  return "";
}

export class OpenAICompatProvider implements LlmProvider {
  readonly label = "openai-compatible";
  readonly model: string;
  private readonly base: string;

  constructor(private readonly opts: OpenAICompatOptions) {
    if (!/^https?:\/\//.test(opts.baseUrl)) throw new LlmError(`base URL must start with http:// or https:// (got "${opts.baseUrl}")`, false);
    if (!opts.model) throw new LlmError("a model name is required for an OpenAI-compatible server", false);
    this.base = opts.baseUrl.replace(/\/+$/, "");
    this.model = opts.model;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
    if (this.opts.apiKey) h.authorization = `Bearer ${this.opts.apiKey}`;
    return h;
  }

  /** Checks that the server answers; resolves to the model ids it lists. */
  async probe(signal?: AbortSignal): Promise<string[]> {
    const timeout = AbortSignal.timeout(this.opts.idleTimeoutMs);
    const res = await fetch(`${this.base}/models`, { headers: this.headers(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout }).catch((err: unknown) => {
      throw new LlmError(`cannot reach ${this.base}: ${timeout.aborted ? `no answer in ${this.opts.idleTimeoutMs / 1000} s` : errorMessage(err)}`, true, { cause: err });
    });
    if (!res.ok) throw new LlmError(`${this.base}/models answered ${res.status}`, true);
    const body = (await res.json().catch(() => ({}))) as { data?: { id?: string }[] };
    return (body.data ?? []).map((m) => String(m.id ?? ""));
  }

  async *stream(req: LlmRequest): AsyncIterable<string> {
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    req.signal.addEventListener("abort", onAbort, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => ac.abort(new LlmError(`no reply text from ${this.base} for ${this.opts.idleTimeoutMs / 1000} s`, true)), this.opts.idleTimeoutMs);
    };
    try {
      armIdle();
      const res = await fetch(`${this.base}/chat/completions`, {
        method: "POST",
        headers: this.headers(),
        signal: ac.signal,
        body: JSON.stringify({
          model: req.model ?? this.model,
          messages: req.messages,
          stream: true,
          temperature: req.temperature,
          max_tokens: req.maxTokens,
          ...(req.stop?.length ? { stop: req.stop.slice(0, 4) } : {}),
          ...(req.seed !== undefined ? { seed: req.seed } : {}),
        }),
      });
      if (!res.ok || !res.body) {
        const detail = (await res.text().catch(() => "")).slice(0, 300);
        throw new LlmError(`${this.base} answered ${res.status}${detail ? `: ${detail}` : ""}`, res.status >= 500 || res.status === 429);
      }
      const decoder = new TextDecoder();
      let buf = "";
      let finished = false;
      for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(bytes, { stream: true });
        // a server that only sends keep-alives for ever is as stuck as one that sends nothing
        if (buf.length > 1_000_000) throw new LlmError(`${this.base} sent an event of over 1 MB`, true);
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") { finished = true; break; }
          let parsed: { choices?: StreamChoice[]; error?: { message?: string } };
          try { parsed = JSON.parse(data) as typeof parsed; } catch { throw new LlmError(`malformed stream data from ${this.base}`, true); }
          if (!parsed || typeof parsed !== "object") throw new LlmError(`malformed stream data from ${this.base}`, true);
          if (parsed.error) throw new LlmError(`${this.base}: ${parsed.error.message ?? "error"}`, true);
          const choice = parsed.choices?.[0];
          const text = deltaText(choice?.delta?.content);
          // thinking (reasoning_content) is progress too, though nothing is said
          if (text || deltaText(choice?.delta?.reasoning_content)) armIdle();
          if (text) yield text;
          if (choice?.finish_reason) finished = true;
        }
        if (finished) break;
      }
      if (!finished && !req.signal.aborted) throw new LlmError(`${this.base} closed the stream before the reply ended`, true);
    } catch (err) {
      if (req.signal.aborted) return;
      if (err instanceof LlmError) throw err;
      if (isAbortError(err) && ac.signal.reason instanceof LlmError) throw ac.signal.reason;
      throw new LlmError(`request to ${this.base} failed: ${errorMessage(err)}`, true, { cause: err });
    } finally {
      clearTimeout(idle);
      req.signal.removeEventListener("abort", onAbort);
      ac.abort();
    }
  }

  /** Asks for a short answer and accepts it only if it names exactly one option. */
  async choose(req: ChooseRequest): Promise<string> {
    let text = "";
    const prompt = `${req.prompt}\nAnswer with exactly one of: ${req.options.join(", ")}.`;
    for await (const d of this.stream({ key: req.key, messages: [{ role: "user", content: prompt }], temperature: 0, maxTokens: 12, signal: req.signal })) text += d;
    const found = req.options.filter((o) => new RegExp(`(?<![\\p{L}])${o.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "iu").test(text));
    if (found.length !== 1) throw new LlmError(`could not read a choice from "${text.trim().slice(0, 60)}"`, true);
    return found[0]!;
  }

  async close(): Promise<void> {}
}
