/**
 * node-llama-cpp's native build for this machine. Parley never compiles one
 * (`build: "never"`): the prebuilt binaries come from npm with the lock file.
 * When none loads (a platform npm had no build for, a broken install, a
 * library the binary needs is missing), the reason says so plainly and points
 * at the way that needs no binary here: a model server that speaks the OpenAI
 * API (Ollama, LM Studio).
 */
import { getLlama, type Llama, type LlamaOptions } from "node-llama-cpp";
import { LlmError, errorMessage } from "../util/errors.js";

export const OPENAI_COMPATIBLE_ADVICE =
  "Run the model in Ollama or LM Studio instead and start Parley with " +
  "`--llm-url http://127.0.0.1:11434/v1 --llm-model qwen2.5:7b` (Ollama) or `--llm-url http://127.0.0.1:1234/v1` (LM Studio)";

/** The local model cannot run on this machine at all (as opposed to one model file failing). */
export class LlamaBinaryError extends LlmError {
  constructor(cause: unknown) {
    const why = errorMessage(cause);
    super(
      `the local model cannot run here: node-llama-cpp has no working build for ${process.platform}-${process.arch}` +
      `${why && why !== "NoBinaryFoundError" ? ` (${why})` : ""}; reinstall with \`npm ci\`, or ${OPENAI_COMPATIBLE_ADVICE[0]!.toLowerCase()}${OPENAI_COMPATIBLE_ADVICE.slice(1)}`,
      false, { cause },
    );
  }
}

export type LlamaBinaryOptions = Pick<LlamaOptions, "usePrebuiltBinaries">;

/** The native runtime, or a LlamaBinaryError that says what to do instead. */
export async function loadLlama(gpu: false | "auto", extra: LlamaBinaryOptions = {}): Promise<Llama> {
  try {
    return await getLlama({ gpu, build: "never", logLevel: "error" as never, ...extra });
  } catch (err) {
    throw new LlamaBinaryError(err);
  }
}
