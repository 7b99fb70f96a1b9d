/** Keeps the room's synchronized state in step with the conversation log and the model status. */
import type { LogEntry, ConversationLog } from "../conversation/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";
import { LineSchema, ModelSchema, type RoomState } from "./state.js";
import type { ModelStatus, ModelState } from "../models/ModelStatus.js";

/** transcript lines kept in state; the log and the database keep more */
export const TRANSCRIPT_LINES = 100;

const fields = (e: LogEntry) => ({
  id: e.id, kind: e.kind, speakerId: e.speakerId, speakerName: e.speakerName, text: e.text,
  heardText: e.heardText, interrupted: e.interrupted, error: e.error, done: e.done,
});

export function mirrorLog(state: InstanceType<typeof RoomState>, log: ConversationLog): () => void {
  const add = (e: LogEntry): void => {
    state.transcript.push(new LineSchema(fields(e)));
    while (state.transcript.length > TRANSCRIPT_LINES) state.transcript.shift();
  };
  const update = (e: LogEntry): void => {
    const line = state.transcript.find((l) => l.id === e.id);
    if (line) Object.assign(line, fields(e));
  };
  const remove = (e: LogEntry): void => {
    const i = state.transcript.findIndex((l) => l.id === e.id);
    if (i >= 0) state.transcript.splice(i, 1);
  };
  log.on("add", add);
  log.on("update", update);
  log.on("remove", remove);
  return () => { log.off("add", add); log.off("update", update); log.off("remove", remove); };
}

export function mirrorLlm(state: InstanceType<typeof RoomState>, llm: LlmHost): () => void {
  const apply = (): void => {
    const s = llm.status;
    Object.assign(state.llm, { ready: s.ready, provider: s.provider, model: s.model, error: s.error, demo: s.demo, progress: s.progress, choice: s.choice, measured: s.measured });
  };
  apply();
  llm.on("status", apply);
  return () => llm.off("status", apply);
}

/** Model downloads and failures (voices, recognizers) for the UI's status line. */
export function mirrorModels(state: InstanceType<typeof RoomState>, models: ModelStatus): () => void {
  const apply = (m: ModelState): void => {
    const have = state.models.get(m.id);
    const fields = { id: m.id, kind: m.kind, name: m.name, progress: m.progress, ready: m.ready, error: m.error, optional: m.optional };
    if (have) Object.assign(have, fields);
    else state.models.set(m.id, new ModelSchema(fields));
  };
  for (const m of models.all()) apply(m);
  models.on("change", apply);
  return () => models.off("change", apply);
}
