/**
 * The table fell quiet: evaluate the likely next speakers' prompts now, so the
 * next person's words are answered from a warm prefix. Any activity aborts it.
 */
import type { CharacterConfig } from "@parley/shared";
import type { Brain } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";

export interface PreloadJob {
  characters: readonly CharacterConfig[];
  brains: ReadonlyMap<string, Brain>;
  llm: LlmHost;
  table: Seat[];
  history: readonly LogEntry[];
  /** who spoke last (not likely to speak next) */
  last: string | undefined;
  signal: AbortSignal;
}

export async function preloadLikely(j: PreloadJob): Promise<void> {
  const likely = [...j.characters].filter((c) => c.id !== j.last && !c.lora).sort((a, b) => b.talkativeness - a.talkativeness).slice(0, 2);
  for (const c of likely) {
    if (j.signal.aborted) return;
    const brain = j.brains.get(c.id);
    if (brain) await j.llm.preload(brain.key, await brain.messages(j.table, j.history), j.signal);
  }
}
