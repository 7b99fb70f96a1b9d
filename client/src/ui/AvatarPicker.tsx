/**
 * The avatar I wear at the table: one of the generated cast, or a VRM file of my
 * own (uploaded, checked by the server). Kept in localStorage for the next visit.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useUi, uiStore } from "../state/store.js";

const KEY = "parley.avatar";
const OWN = "own";

interface CastAvatar { name: string; avatarUrl: string }

export function myAvatar(): string {
  try { return localStorage.getItem(KEY) ?? ""; } catch { return ""; }
}

const remember = (url: string): void => {
  try { localStorage.setItem(KEY, url); } catch { /* private mode */ }
};

export function AvatarPicker({ onChange }: { onChange: (avatarUrl: string) => void }) {
  const { t } = useTranslation();
  const [cast, setCast] = useState<CastAvatar[]>([]);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const current = useUi((s) => s.room.people[s.sessionId]?.avatarUrl ?? "");
  useEffect(() => {
    void fetch("/api/avatars/cast").then((r) => r.json()).then((list: CastAvatar[]) => setCast(list)).catch(() => setCast([]));
  }, []);
  const wear = (url: string): void => { remember(url); onChange(url); };
  const upload = async (f: File): Promise<void> => {
    setBusy(true);
    try {
      const res = await fetch("/api/avatars/person", { method: "POST", body: f, headers: { "content-type": "model/gltf-binary" } });
      const body = (await res.json().catch(() => ({}))) as { avatarUrl?: string; error?: string };
      if (!res.ok || !body.avatarUrl) throw new Error(body.error ?? t("errors.uploadFailed", { status: res.status }));
      wear(body.avatarUrl);
    } catch (err) {
      uiStore.set({ lastError: { code: "bad_message", message: t("avatar.failed", { error: err instanceof Error ? err.message : String(err) }), at: Date.now(), local: true } });
    } finally {
      setBusy(false);
    }
  };
  const own = current !== "" && !cast.some((c) => c.avatarUrl === current);
  return (
    <label className="avatarpick">
      {t("avatar.appearAs")}
      <select
        aria-label={t("avatar.label")}
        value={own ? OWN : current}
        disabled={busy}
        onChange={(e) => { if (e.target.value === OWN) file.current?.click(); else wear(e.target.value); }}
      >
        {current === "" && <option value="">…</option>}
        {cast.map((c) => <option key={c.avatarUrl} value={c.avatarUrl}>{c.name[0]!.toUpperCase() + c.name.slice(1)}</option>)}
        <option value={OWN}>{own ? t("avatar.own") : t("avatar.ownPick")}</option>
      </select>
      <input
        ref={file}
        type="file"
        accept=".vrm,.glb,model/gltf-binary"
        hidden
        aria-label={t("avatar.fileLabel")}
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ""; if (f) void upload(f); }}
      />
    </label>
  );
}
