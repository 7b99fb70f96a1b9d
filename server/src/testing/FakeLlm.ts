/** A scripted LLM for director and pipeline tests: fixed replies, token by token, at a set pace. */
import type { LlmProvider, LlmRequest, ChooseRequest } from "../llm/types.js";

export class FakeLlm implements LlmProvider {
  readonly label = "fake";
  readonly model = "scripted";
  readonly requests: LlmRequest[] = [];
  readonly chooseRequests: ChooseRequest[] = [];
  /** what choose() answers; default: the first option */
  chooser: (req: ChooseRequest) => string = (req) => req.options[0]!;
  /** how long choose() thinks, ms (it gives up when its signal aborts) */
  chooseDelayMs = 0;

  /** @param reply the text for a request (split into tokens at spaces) */
  constructor(private readonly reply: (req: LlmRequest) => string, private readonly tokenDelayMs = 2) {}

  async *stream(req: LlmRequest): AsyncIterable<string> {
    this.requests.push(req);
    const tokens = this.reply(req).match(/\S+\s*|\s+/g) ?? [];
    for (const t of tokens) {
      await new Promise((r) => setTimeout(r, this.tokenDelayMs));
      if (req.signal.aborted) return;
      yield t;
    }
  }

  async choose(req: ChooseRequest): Promise<string> {
    this.chooseRequests.push(req);
    if (this.chooseDelayMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.chooseDelayMs);
        req.signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
      });
      if (req.signal.aborted) throw new Error("aborted");
    }
    return this.chooser(req);
  }

  async close(): Promise<void> {}
}
