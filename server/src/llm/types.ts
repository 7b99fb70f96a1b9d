/** LLM providers: one interface, one provider per file. */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmRequest {
  /** who is speaking: each character keeps its own context sequence where the provider has one */
  key: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  /** generation stops before any of these strings */
  stop?: string[];
  seed?: number;
  /** a LoRA adapter for this key (node-llama-cpp only; it gets a context of its own) */
  lora?: { path: string; scale: number };
  /** the model name to ask a model server for (OpenAI-compatible only: a LoRA adapter served under its own name) */
  model?: string;
  signal: AbortSignal;
}

export interface ChooseRequest {
  key: string;
  prompt: string;
  /** the answer must be exactly one of these */
  options: readonly string[];
  signal: AbortSignal;
}

export interface LlmProvider {
  /** "node-llama-cpp", "openai-compatible", ... */
  readonly label: string;
  /** the model's name or file */
  readonly model: string;
  /** Streams text deltas. Ends early, without error, when `signal` aborts. */
  stream(req: LlmRequest): AsyncIterable<string>;
  /** Answers with one of the options (constrained decoding where the provider has it). */
  choose(req: ChooseRequest): Promise<string>;
  /**
   * Evaluates a prompt ahead of time on the key's sequence, so a later stream()
   * with the same prefix starts faster. Optional; a no-op where unsupported.
   */
  preload?(req: Omit<LlmRequest, "temperature" | "maxTokens" | "stop" | "seed">): Promise<void>;
  /** Gives back the sequences of every key starting with `prefix` (a table went idle). Optional. */
  release?(prefix: string): void;
  close(): Promise<void>;
}
