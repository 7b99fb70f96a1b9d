/**
 * What every model file (LLM, voices, recognizers) is doing: downloading with
 * progress, ready, or failed with a reason. The room mirrors it for the UI; the
 * server log shows progress bars.
 */
import { EventEmitter } from "node:events";

export interface ModelState {
  /** stable id, e.g. "tts:piper:en_US-lessac-medium" */
  id: string;
  kind: "llm" | "tts" | "asr" | "vad" | "turn";
  name: string;
  /** 0..1 while downloading, 1 when present */
  progress: number;
  ready: boolean;
  error: string;
  /**
   * Parley works without it (the end-of-turn model, the default neural voices):
   * when it cannot be had the page says once, calmly, what it would add and how
   * to get it, instead of showing an error.
   */
  optional: boolean;
}

export class ModelStatus extends EventEmitter<{ change: [ModelState] }> {
  private readonly states = new Map<string, ModelState>();

  report(id: string, patch: Partial<Omit<ModelState, "id">> & Pick<ModelState, "kind" | "name">): ModelState {
    const prev = this.states.get(id) ?? { id, kind: patch.kind, name: patch.name, progress: 0, ready: false, error: "", optional: false };
    // a voice always has the offline voice behind it, the end-of-turn model the silence
    const next = { ...prev, ...patch, id, optional: patch.optional ?? (prev.optional || patch.kind === "tts" || patch.kind === "turn") };
    this.states.set(id, next);
    this.emit("change", next);
    return next;
  }

  get(id: string): ModelState | undefined { return this.states.get(id); }
  all(): ModelState[] { return [...this.states.values()]; }
}
