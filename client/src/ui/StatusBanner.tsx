/** Tells the user what the model is doing: loading, downloading, missing (and how to fix it), or a demo. */
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useUi } from "../state/store.js";

/** Voices and recognizers being fetched, or failing: one short line. */
function ModelLine() {
  const { t } = useTranslation();
  const models = useUi((s) => s.room.models);
  const [dismissed, setDismissed] = useState(false);
  const busy = Object.values(models).filter((m) => !m.ready && !m.error && m.progress > 0 && m.progress < 1);
  const failed = Object.values(models).filter((m) => m.error && !m.optional);
  // what Parley does well without: one calm sentence per kind, what it would add and how to get it
  const missing = [...new Set(Object.values(models).filter((m) => m.error && m.optional && !m.ready).map((m) => m.kind))];
  const notes = dismissed ? [] : missing;
  if (busy.length === 0 && failed.length === 0 && notes.length === 0) return null;
  return (
    <div className="banner banner-models" role="status">
      {busy.map((m) => <span key={m.id}>{t("status.downloading", { name: m.name, progress: m.progress })} </span>)}
      {failed.map((m) => <span key={m.id} className="model-error">{m.name}: {m.error} </span>)}
      {notes.map((kind) => <span key={kind} className="model-note">{t(kind === "turn" ? "status.optional.turn" : "status.optional.voices")} </span>)}
      {notes.length > 0 && <button type="button" className="model-note-close" aria-label={t("status.optional.close")} onClick={() => setDismissed(true)}>×</button>}
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
  const { t } = useTranslation();
  const llm = useUi((s) => s.room.llm);
  const connected = useUi((s) => s.connected);
  const connecting = useUi((s) => s.connecting);
  const connectionError = useUi((s) => s.connectionError);
  const refused = useUi((s) => s.refused);
  if (refused) return <div className="banner banner-error" role="alert"><strong>{t("status.refused")}</strong> {connectionError}</div>;
  if (!connected) {
    return (
      <div className="banner banner-warn" role="status">
        {connecting ? t("status.connecting") : connectionError ? t("status.unreachableWhy", { error: connectionError }) : t("status.unreachable")}
      </div>
    );
  }
  if (llm.error && !llm.ready) {
    // the server's reason names files and settings: it stays as written
    return <div className="banner banner-error" role="alert"><strong>{t("status.noModel")}</strong> <span lang="en">{llm.error}</span></div>;
  }
  if (!llm.ready) {
    const downloading = llm.progress > 0 && llm.progress < 1;
    return (
      <div className="banner banner-info" role="status">
        {downloading ? t("status.downloading", { name: llm.model, progress: llm.progress }) : t("status.loading", { model: llm.model || t("status.theModel") })}
        {downloading && <progress max={1} value={llm.progress} />}
        {/* why this model for this machine, and how to pick another: the server's words, as written */}
        {llm.choice && <div className="banner-detail" lang="en">{llm.choice}</div>}
      </div>
    );
  }
  if (llm.demo) {
    return (
      <div className="banner banner-demo" role="status">
        <Trans i18nKey="status.demo" components={{ b: <strong />, code: <code /> }} />
      </div>
    );
  }
  return null;
}
