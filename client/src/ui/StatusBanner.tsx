/** Tells the user what the model is doing: loading, downloading, missing (and how to fix it), or a demo. */
import { useUi } from "../state/store.js";

/** Voices and recognizers being fetched, or failing: one short line. */
function ModelLine() {
  const models = useUi((s) => s.room.models);
  const busy = Object.values(models).filter((m) => !m.ready && !m.error && m.progress > 0 && m.progress < 1);
  const failed = Object.values(models).filter((m) => m.error);
  if (busy.length === 0 && failed.length === 0) return null;
  return (
    <div className="banner banner-models" role="status">
      {busy.map((m) => <span key={m.id}>Downloading {m.name}: {Math.round(m.progress * 100)}% </span>)}
      {failed.map((m) => <span key={m.id} className="model-error">{m.name}: {m.error} </span>)}
    </div>
  );
}

export function StatusBanner() {
  return (
    <>
      <LlmBanner />
      <ModelLine />
    </>
  );
}

function LlmBanner() {
  const llm = useUi((s) => s.room.llm);
  const connected = useUi((s) => s.connected);
  const connecting = useUi((s) => s.connecting);
  const connectionError = useUi((s) => s.connectionError);
  if (!connected) {
    return (
      <div className="banner banner-warn" role="status">
        {connecting ? "Connecting to the room…" : `Cannot reach the Parley server${connectionError ? `: ${connectionError}` : ""}. Retrying…`}
      </div>
    );
  }
  if (llm.error && !llm.ready) {
    return <div className="banner banner-error" role="alert"><strong>No language model.</strong> {llm.error}</div>;
  }
  if (!llm.ready) {
    const pct = Math.round(llm.progress * 100);
    return (
      <div className="banner banner-info" role="status">
        {llm.progress > 0 && llm.progress < 1 ? `Downloading ${llm.model}: ${pct}%` : `Loading ${llm.model || "the model"}…`}
        {llm.progress > 0 && llm.progress < 1 && <progress max={1} value={llm.progress} />}
      </div>
    );
  }
  if (llm.demo) {
    return (
      <div className="banner banner-demo" role="status">
        <strong>Demo model:</strong> replies are scripted by a tiny offline model. Set <code>PARLEY_MODEL</code> to a GGUF file
        or <code>PARLEY_LLM_URL</code> to an OpenAI-compatible server for real conversation.
      </div>
    );
  }
  return null;
}
