/**
 * How long the last reply took, stage by stage: from the end of your speech (or
 * your typed message) to its first sound playing here, the server's stages and
 * then its way to this page (delivery) and into the speakers. A summary line
 * with the whole; open it for the stages.
 */
import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { latencyStore, type ReplyStages } from "../audio/replyLatency.js";

export function LatencyPanel() {
  const { t } = useTranslation();
  const last = useSyncExternalStore(latencyStore.subscribe, () => latencyStore.get().last);
  if (!last) return null;
  const ms = (v: number): string => t("latency.ms", { ms: v });
  const rows: [string, number | null][] = [
    [t("latency.endOfTurn"), last.endOfTurnMs],
    [t("latency.recognition"), last.recognitionMs],
    [t("latency.firstToken"), last.firstTokenMs],
    [t("latency.firstClause"), last.firstClauseMs],
    [t("latency.firstAudio"), last.firstAudioMs],
    [t("latency.delivery"), last.deliveryMs],
    [t("latency.playing"), last.playingMs],
  ];
  return (
    <details className="latency">
      <summary>{t("latency.summary", { total: ms(last.totalMs) })}</summary>
      <table>
        <tbody>
          {rows.map(([label, v]) => v === null ? null : <tr key={label}><th scope="row">{label}</th><td>{ms(v)}</td></tr>)}
        </tbody>
      </table>
      <p className="hint">{decidedBy(t, last)}</p>
    </details>
  );
}

function decidedBy(t: ReturnType<typeof useTranslation>["t"], s: ReplyStages): string {
  switch (s.turnEnd) {
    case "model": return t("latency.byModel");
    case "silence": return t("latency.bySilence");
    case "released": return t("latency.byRelease");
    case "typed": return t("latency.typed");
  }
}
