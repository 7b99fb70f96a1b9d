/**
 * Owns the room's LLM: decides which provider the configuration asks for, loads it
 * in the background (downloading a default model with progress when needed), and
 * reports a status the UI shows. While no model can be had the server keeps
 * running and every turn ends with a clear reason instead of a crash.
 */
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ParleyConfig } from "../config.js";
import type { LlmProvider, LlmRequest } from "./types.js";
import type { LlmView } from "@parley/shared";
import { LlamaCppProvider, LLAMA_CPP_DEFAULTS } from "./LlamaCppProvider.js";
import { LlamaBinaryError, type LlamaBinaryOptions } from "./llamaBinary.js";
import { OpenAICompatProvider, OPENAI_COMPAT_DEFAULTS } from "./OpenAICompatProvider.js";
import { chooseDefaultModel, detectHardware, gpuMemoryGb, CHOOSE_ANOTHER, DEFAULT_MODELS, type ModelSpec } from "./defaultModel.js";
import { measureLlm, describeLlm, llmTooSlow } from "./measureLlm.js";
import { readProfile, writeProfile, markTooSlow } from "../models/machineProfile.js";
import { downloadModel } from "./downloadModel.js";
import { ensureDemoModel } from "./demoModel.js";
import { LlmUnavailableError, errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export const HOW_TO_GET_A_MODEL =
  "Start with `--model /path/to/model.gguf` (PARLEY_MODEL), or `--llm-url http://127.0.0.1:11434/v1 --llm-model <name>` " +
  "(PARLEY_LLM_URL, PARLEY_LLM_MODEL) for Ollama, LM Studio, llama-server or vLLM; or run `npm run demo` for the offline demo.";

export class LlmHost extends EventEmitter<{ status: [LlmView] }> {
  private provider: LlmProvider | null = null;
  private _status: LlmView = { ready: false, provider: "", model: "", error: "", demo: false, progress: 0, choice: "", measured: "" };
  private loading: Promise<void> | null = null;
  private readonly abort = new AbortController();

  /** `binary`: how node-llama-cpp looks for its native build (tests make it find none) */
  constructor(private readonly config: ParleyConfig, private readonly binary?: LlamaBinaryOptions) { super(); }

  get status(): LlmView { return this._status; }

  /** For tests and embedding: use a provider that already exists. */
  static withProvider(config: ParleyConfig, provider: LlmProvider, demo = false): LlmHost {
    const host = new LlmHost(config);
    host.provider = provider;
    host.loading = Promise.resolve();
    host.setStatus({ ready: true, provider: provider.label, model: provider.model, error: "", demo, progress: 1, choice: "", measured: "" });
    return host;
  }

  private setStatus(patch: Partial<LlmView>): void {
    this._status = { ...this._status, ...patch };
    this.emit("status", this._status);
  }

  /** Starts loading in the background; resolves when loading has finished or failed. */
  start(): Promise<void> {
    this.loading ??= this.load().catch((err: unknown) => {
      log.error(`LLM: ${errorMessage(err)}`);
      // no build of the runtime loads here: another model file would not help, a model server would
      this.setStatus({ ready: false, error: err instanceof LlamaBinaryError ? errorMessage(err) : `${errorMessage(err)}. ${HOW_TO_GET_A_MODEL}` });
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const c = this.config;
    if (c.demo) {
      this.setStatus({ provider: "node-llama-cpp", model: "Parley demo (scripted)", demo: true });
      const path = await ensureDemoModel(join(c.cacheDir, "models"));
      // the demo model is tiny: CPU only, and quick to load
      // one thread: the scripted model is tiny, and a second thread only spins against the renderer and the voices
      this.provider = await LlamaCppProvider.load({ ...LLAMA_CPP_DEFAULTS, modelPath: path, threads: 1, contextSize: c.contextSize, gpu: false, displayName: "Parley demo (scripted)", binary: this.binary });
      this.setStatus({ ready: true, progress: 1, error: "" });
      return;
    }
    if (c.llmUrl) {
      const p = new OpenAICompatProvider({ ...OPENAI_COMPAT_DEFAULTS, baseUrl: c.llmUrl, model: c.llmModel ?? "", apiKey: c.llmApiKey, idleTimeoutMs: c.llmTimeoutMs });
      this.provider = p;
      this.setStatus({ provider: p.label, model: p.model });
      try {
        await p.probe(this.abort.signal);
        this.setStatus({ ready: true, progress: 1, error: "" });
      } catch (err) {
        // keep the provider: the server may come up later; each turn tries again
        this.setStatus({ ready: false, error: `${errorMessage(err)}. Parley will retry on the next message.` });
      }
      return;
    }
    if (c.model === "none") throw new Error("No LLM is configured");
    if (c.model && !/^(hf:|https?:)/.test(c.model) && !existsSync(c.model)) throw new Error(`model file not found: ${c.model}`);
    // the user's model as it is; the default one kept within the latency budget, a smaller one taken when it is too slow here
    for (;;) {
      const chosen = c.model && !/^(hf:|https?:)/.test(c.model) ? null : c.model ? { uri: c.model, name: c.model } : await this.chooseForThisMachine();
      const modelPath = chosen ? await this.download(chosen) : c.model!;
      this.setStatus({ provider: "node-llama-cpp", model: modelPath });
      this.provider = await LlamaCppProvider.load({
        ...LLAMA_CPP_DEFAULTS, modelPath, threads: c.threads, contextSize: c.contextSize, gpu: c.gpu === "off" ? false : "auto", binary: this.binary,
      });
      if (!chosen || !("id" in chosen) || (await this.fastEnough(chosen))) break;
      await this.provider.close();
      this.provider = null;
    }
    this.setStatus({ ready: true, model: this.provider.model, progress: 1, error: "" });
  }

  /**
   * Measures the default model once on this machine (what `npm run doctor`
   * measures); one whose first clause comes too late is marked too slow and the
   * next smaller default is taken. The smallest is kept whatever it measures.
   */
  private async fastEnough(model: ModelSpec): Promise<boolean> {
    const c = this.config;
    const profile = await readProfile(c.cacheDir);
    const known = profile?.llm?.model === this.provider!.model ? profile.llm : null;
    const figures = known ?? (await measureLlm(this.provider!));
    this.setStatus({ measured: describeLlm(figures) });
    if (!known) await writeProfile(c.cacheDir, { at: new Date().toISOString(), voices: [], notes: [], tooSlow: [], ...profile, llm: figures });
    if (!llmTooSlow(figures) || DEFAULT_MODELS.indexOf(model) <= 0) return true;
    log.info(`LLM: ${model.name} is too slow here (${describeLlm(figures)}): taking a smaller one. \`--model ${model.uri}\` keeps it.`);
    await markTooSlow(c.cacheDir, model.id);
    return false;
  }

  private async download(choice: { uri: string; name: string }): Promise<string> {
    this.setStatus({ provider: "node-llama-cpp", model: choice.name });
    let lastShown = 0;
    return downloadModel({
      uri: choice.uri, name: choice.name, cacheDir: this.config.cacheDir, offline: this.config.offline, stallMs: this.config.downloadStallMs, signal: this.abort.signal,
      onProgress: (progress, done, total) => {
        if (progress - lastShown < 0.01 && progress !== 1) return;
        lastShown = progress;
        this.setStatus({ progress });
        log.progress(`downloading ${choice.name}`, done, total);
      },
    });
  }

  /** The default model for this machine's memory and GPU; the terminal and the page say which and why. */
  private async chooseForThisMachine(): Promise<ModelSpec> {
    const c = this.config;
    const hw = detectHardware(c.gpu === "off" ? 0 : await gpuMemoryGb());
    const tooSlow = new Set((await readProfile(c.cacheDir))?.tooSlow ?? []);
    const { model, where, reason } = chooseDefaultModel(hw, { sequences: LLAMA_CPP_DEFAULTS.sequences, contextSize: c.contextSize }, tooSlow);
    const choice = `${model.name} on the ${where === "gpu" ? "GPU" : "CPU"}: ${reason}. ${CHOOSE_ANOTHER}`;
    log.info(`LLM: ${choice}`);
    this.setStatus({ choice });
    return model;
  }

  /** Streams a reply, or fails with a reason the user can act on. */
  stream(req: LlmRequest): AsyncIterable<string> {
    const p = this.provider;
    if (!p) {
      const why = this._status.error || (this._status.progress > 0 && this._status.progress < 1
        ? `the model is still downloading (${Math.round(this._status.progress * 100)}%)`
        : "the model is still loading");
      throw new LlmUnavailableError(why);
    }
    return this.trackReady(p.stream(req));
  }

  /** Lets the model pick one of the options (the director's "LLM choice"). */
  choose(prompt: string, options: readonly string[], signal: AbortSignal): Promise<string> {
    const p = this.provider;
    if (!p) return Promise.reject(new LlmUnavailableError(this._status.error || "the model is still loading"));
    return p.choose({ key: "__director", prompt, options, signal });
  }

  /** A table went idle: its characters' sequences go back to the pool for other tables. */
  release(prefix: string): void { this.provider?.release?.(prefix); }

  /** Speculative prompt evaluation; never fails loudly (it only saves time). */
  async preload(key: string, messages: LlmRequest["messages"], signal: AbortSignal): Promise<void> {
    const p = this.provider;
    if (!p?.preload) return;
    await p.preload({ key, messages, signal }).catch(() => {});
  }

  private async *trackReady(it: AsyncIterable<string>): AsyncIterable<string> {
    for await (const t of it) {
      if (!this._status.ready) this.setStatus({ ready: true, error: "" });
      yield t;
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loading;
    await this.provider?.close();
    this.provider = null;
  }
}
