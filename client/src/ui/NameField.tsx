/** The person's display name, kept in localStorage and sent to the room. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LIMITS } from "@parley/shared";

const KEY = "parley.name";

export function myName(): string {
  try { return localStorage.getItem(KEY) ?? ""; } catch { return ""; }
}

export function NameField({ onChange }: { onChange: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(myName());
  const commit = () => {
    const n = name.trim();
    if (!n) return;
    try { localStorage.setItem(KEY, n); } catch { /* private mode */ }
    onChange(n);
  };
  return (
    <label className="namefield">
      {t("name.youAre")}
      <input
        aria-label={t("name.label")}
        value={name}
        placeholder={t("name.placeholder")}
        maxLength={LIMITS.nameMaxChars}
        onChange={(e) => setName(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => { if (e.key === "Enter") (e.target as HTMLInputElement).blur(); }}
      />
    </label>
  );
}
