/**
 * Local GGUF models through node-llama-cpp. One model is loaded once for all
 * characters; each character gets its own context sequence, so its prompt prefix
 * is reused from turn to turn and several characters can generate in one batch.
 */
import { basename } from "node:path";
import { LlamaChat, resolveChatWrapper, type Llama, type LlamaModel, type LlamaContext, type ChatHistoryItem, type ChatWrapper } from "node-llama-cpp";
import type { LlmProvider, LlmRequest, ChooseRequest } from "./types.js";
import type { LlamaGrammar } from "node-llama-cpp";
import { AsyncQueue } from "../util/AsyncQueue.js";
import { LlmError, isAbortError, errorMessage } from "../util/errors.js";
import { loadLlama, type LlamaBinaryOptions } from "./llamaBinary.js";

export interface LlamaCppOptions {
  modelPath: string;
  /** CPU threads; node-llama-cpp's own default (4) is many times slower on a 2-core machine */
  threads: number;
  /** tokens per sequence */
  contextSize: number;
  /** how many characters can hold a sequence at once */
  sequences: number;
  gpu: false | "auto";
  /** shown in the UI instead of the file name */
  displayName?: string;
  /** how node-llama-cpp looks for its native build (tests make it find none) */
  binary?: LlamaBinaryOptions;
}

/** six characters plus one sequence for the director and memory tasks */
export const LLAMA_CPP_DEFAULTS = { contextSize: 4096, sequences: 7, gpu: "auto" } as const;

export class LlamaCppProvider implements LlmProvider {
  readonly label = "node-llama-cpp";
  readonly model: string;
  private chats = new Map<string, LlamaChat>();
  /** characters with a LoRA adapter: their own context, created on first use */
  private loraChats = new Map<string, { adapter: string; chat: Promise<LlamaChat> }>();
  private grammars = new Map<string, Promise<LlamaGrammar>>();
  private lastUse = new Map<string, number>();
  /** keys generating or evaluating now: their sequence is never recycled under them */
  private busy = new Map<string, number>();

  private constructor(
    private readonly llama: Llama,
    private readonly llamaModel: LlamaModel,
    private readonly context: LlamaContext,
    /** resolved once: resolving it renders the model's Jinja template, ~300 ms of blocking work */
    private readonly chatWrapper: ChatWrapper,
    private readonly opts: LlamaCppOptions,
  ) {
    this.model = opts.displayName ?? basename(opts.modelPath);
  }

  /** A context of its own with the adapter applied (adapters apply to a whole context). */
  private loraChat(key: string, lora: { path: string; scale: number }): Promise<LlamaChat> {
    const id = `${lora.path}@${lora.scale}`;
    const have = this.loraChats.get(key);
    if (have && have.adapter === id) return have.chat;
    if (have) void have.chat.then((c) => c.dispose({ disposeSequence: true })).catch(() => {});
    const chat = this.llamaModel.createContext({
      contextSize: this.opts.contextSize, sequences: 1, threads: this.opts.threads, batchSize: Math.min(512, this.opts.contextSize),
      lora: { adapters: [{ filePath: lora.path, scale: lora.scale }] },
    }).then((ctx) => new LlamaChat({ contextSequence: ctx.getSequence(), chatWrapper: this.chatWrapper }), (err: unknown) => {
      this.loraChats.delete(key);
      throw new LlmError(`could not apply the LoRA adapter ${lora.path}: ${errorMessage(err)}`, false, { cause: err });
    });
    this.loraChats.set(key, { adapter: id, chat });
    return chat;
  }

  static async load(opts: LlamaCppOptions): Promise<LlamaCppProvider> {
    if (!opts.modelPath) throw new LlmError("node-llama-cpp needs a model path", false);
    if (!(opts.threads >= 1)) throw new LlmError("node-llama-cpp needs threads >= 1", false);
    const llama = await loadLlama(opts.gpu, opts.binary);
    try {
      const model = await llama.loadModel({ modelPath: opts.modelPath });
      const context = await model.createContext({
        contextSize: opts.contextSize,
        sequences: opts.sequences,
        threads: opts.threads,
        batchSize: Math.min(512, opts.contextSize),
      });
      const wrapper = resolveChatWrapper(model);
      return new LlamaCppProvider(llama, model, context, wrapper, opts);
    } catch (err) {
      throw new LlmError(`could not load ${opts.modelPath}: ${errorMessage(err)}`, false, { cause: err });
    }
  }

  /**
   * The chat bound to this key's sequence. Sequences are taken as tables become
   * active; when all are taken, the least recently used one that is not busy is
   * recycled (its table will re-read its prompt next time).
   */
  private chatFor(key: string): LlamaChat {
    let chat = this.chats.get(key);
    if (!chat) {
      if (this.context.sequencesLeft === 0) {
        const [oldest] = [...this.lastUse.entries()].filter(([k]) => !this.busy.has(k)).sort((a, b) => a[1] - b[1])[0] ?? [];
        if (oldest === undefined) throw new LlmError(`all ${this.opts.sequences} context sequences are busy; try again in a moment`, true);
        this.drop(oldest);
      }
      chat = new LlamaChat({ contextSequence: this.context.getSequence(), chatWrapper: this.chatWrapper });
      this.chats.set(key, chat);
    }
    this.lastUse.set(key, Date.now());
    return chat;
  }

  private drop(key: string): void {
    this.chats.get(key)?.dispose({ disposeSequence: true });
    this.chats.delete(key);
    this.lastUse.delete(key);
  }

  /** Runs `fn` with `key` marked busy (its sequence cannot be recycled meanwhile). */
  private async using<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = (this.busy.get(key) ?? 1) - 1;
      if (n > 0) this.busy.set(key, n); else this.busy.delete(key);
    }
  }

  release(prefix: string): void {
    for (const key of [...this.chats.keys()]) if (key.startsWith(prefix) && !this.busy.has(key)) this.drop(key);
  }

  private static history(messages: LlmRequest["messages"]): ChatHistoryItem[] {
    const history: ChatHistoryItem[] = messages.map((m) =>
      m.role === "system" ? { type: "system", text: m.content }
        : m.role === "user" ? { type: "user", text: m.content }
          : { type: "model", response: [m.content] },
    );
    // node-llama-cpp generates a reply to the history, which must end with a user message
    if (history.at(-1)?.type !== "user") history.push({ type: "user", text: "" });
    history.push({ type: "model", response: [] });
    return history;
  }

  async choose(req: ChooseRequest): Promise<string> {
    if (req.options.length === 0) throw new LlmError("nothing to choose from", false);
    const key = JSON.stringify(req.options);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      // a GBNF grammar whose only sentences are the options
      const alternatives = req.options.map((o) => JSON.stringify(o)).join(" | ");
      grammar = this.llama.createGrammar({ grammar: `root ::= ${alternatives}` });
      this.grammars.set(key, grammar);
    }
    const g = await grammar;
    const res = await this.using(req.key, () => this.chatFor(req.key).generateResponse(LlamaCppProvider.history([{ role: "user", content: req.prompt }]), {
      grammar: g, temperature: 0, maxTokens: 32, signal: req.signal, stopOnAbortSignal: false,
    }));
    const answer = res.response.trim();
    if (!req.options.includes(answer)) throw new LlmError(`model chose "${answer}", not one of the options`, true);
    return answer;
  }

  /**
   * Evaluates the prompt on the key's sequence without generating. The last user
   * message is left open, so it can be the words a person is still saying: when
   * the reply is asked for, the sequence keeps the tokens it shares with the
   * final prompt and evaluates only the rest (a changed ending replaces the old
   * one). A preload waits for a generation on the same sequence and stops at
   * the next batch when its signal aborts.
   */
  async preload(req: Omit<LlmRequest, "temperature" | "maxTokens" | "stop" | "seed">): Promise<void> {
    const history = LlamaCppProvider.history(req.messages).slice(0, -1);
    await this.using(req.key, () => this.chatFor(req.key).loadChatAndCompleteUserMessage(history, { maxTokens: 0, signal: req.signal, stopOnAbortSignal: true })).catch((err: unknown) => {
      if (!isAbortError(err) && !req.signal.aborted) throw err;
    });
  }

  /**
   * What a key's sequence holds now, for tests and diagnostics: its text (special
   * tokens included), its length, and the input tokens it has evaluated so far.
   */
  inspect(key: string): { text: string; tokens: number; inputTokens: number } | null {
    const seq = this.chats.get(key)?.sequence;
    if (!seq) return null;
    return { text: this.llamaModel.detokenize(seq.contextTokens, true), tokens: seq.contextTokens.length, inputTokens: seq.tokenMeter.usedInputTokens };
  }

  async *stream(req: LlmRequest): AsyncIterable<string> {
    const chat = req.lora ? await this.loraChat(req.key, req.lora) : this.chatFor(req.key);
    const history = LlamaCppProvider.history(req.messages);
    const q = new AsyncQueue<string>();
    const done = this.using(req.key, () => chat.generateResponse(history, {
      signal: req.signal,
      stopOnAbortSignal: true,
      temperature: req.temperature,
      maxTokens: req.maxTokens,
      seed: req.seed,
      customStopTriggers: req.stop,
      onTextChunk: (text) => q.push(text),
    })).then(
      () => q.close(),
      (err: unknown) => (isAbortError(err) || req.signal.aborted ? q.close() : q.fail(new LlmError(`generation failed: ${errorMessage(err)}`, true, { cause: err }))),
    );
    try {
      for await (const text of q) {
        if (req.signal.aborted) break;
        yield text;
      }
    } finally {
      await done;
    }
  }

  async close(): Promise<void> {
    for (const chat of this.chats.values()) chat.dispose({ disposeSequence: true });
    this.chats.clear();
    for (const { chat } of this.loraChats.values()) {
      const c = await chat.catch(() => null);
      if (c) { const ctx = c.context; c.dispose({ disposeSequence: true }); await ctx.dispose(); }
    }
    this.loraChats.clear();
    await this.context.dispose();
    await this.llamaModel.dispose();
    await this.llama.dispose();
  }
}
