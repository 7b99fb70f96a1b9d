/**
 * The table in the header: its name, who sits at it, and for the host its
 * invite link (copy, or revoke for a new one) and muting or removing a person.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useUi } from "../state/store.js";
import { api, currentPlace, withInvite } from "../net/place.js";

export interface TableActions {
  mute: (sessionId: string, muted: boolean) => void;
  remove: (sessionId: string) => void;
}

interface TableInfo { id: string; url: string; invite?: string }

export function TablePanel({ actions }: { actions: TableActions }) {
  const { t } = useTranslation();
  const name = useUi((s) => s.room.tableName);
  const people = useUi((s) => s.room.people);
  const me = useUi((s) => s.sessionId);
  const host = people[me]?.role === "host";
  const [open, setOpen] = useState(false);
  const [info, setInfo] = useState<TableInfo | null>(null);
  const [note, setNote] = useState("");
  const id = currentPlace().tableId;
  useEffect(() => {
    if (!open || !host) return;
    void api("/api/tables").then((r) => r.json()).then((j: { tables: TableInfo[] }) => setInfo(j.tables.find((x) => x.id === id) ?? null)).catch(() => setInfo(null));
  }, [open, host, id]);
  const revoke = async (): Promise<void> => {
    const r = await api(`/api/tables/${encodeURIComponent(id)}/invite`, { method: "POST" });
    if (r.ok) { setInfo((await r.json()) as TableInfo); setNote(t("table.revoked")); } else setNote(t("table.failed", { status: r.status }));
  };
  const copy = async (): Promise<void> => {
    if (!info) return;
    try { await navigator.clipboard.writeText(info.url); setNote(t("table.copied")); } catch { setNote(info.url); }
  };
  return (
    <div className="table-panel">
      <button className="settings-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>{name || t("table.title")}</button>
      {open && (
        <div className="settings-panel" role="dialog" aria-label={t("table.title")}>
          <p className="meta">{host ? t("table.youHost") : t("table.youGuest")}</p>
          {host && info && (
            <div className="invite">
              <label>{t("table.invite")}<input readOnly value={info.url} aria-label={t("table.invite")} onFocus={(e) => e.currentTarget.select()} /></label>
              <button onClick={() => void copy()}>{t("table.copy")}</button>
              <button onClick={() => void revoke()}>{t("table.revoke")}</button>
            </div>
          )}
          {note && <p className="meta" role="status">{note}</p>}
          <ul className="people">
            {Object.values(people).map((p) => (
              <li key={p.sessionId}>
                {p.name}{p.role === "host" ? ` (${t("table.host")})` : ""}{p.muted ? ` · ${t("table.muted")}` : ""}
                {host && p.sessionId !== me && (
                  <>
                    {" "}<button onClick={() => actions.mute(p.sessionId, !p.muted)}>{p.muted ? t("table.unmute") : t("table.mute")}</button>
                    {" "}<button onClick={() => actions.remove(p.sessionId)}>{t("table.remove")}</button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <a href={withInvite("/tables")}>{t("table.allTables")}</a>
        </div>
      )}
    </div>
  );
}
