/** The table's settings: its language, who answers, whether characters talk among themselves, how heated it gets. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, POLICY_NAMES, type Language, type PolicyName, type RoomSettingsPayload } from "@parley/shared";
import { useUi } from "../state/store.js";
import { currentPlace, withInvite } from "../net/place.js";
import { LANGUAGE_NAMES, uiLanguageOf } from "../i18n/i18n.js";

export function SettingsPanel({ onChange }: { onChange: (patch: RoomSettingsPayload) => void }) {
  const { t } = useTranslation();
  const s = useUi((x) => x.room.settings);
  const [open, setOpen] = useState(false);
  const level = s.interruptSensitivity === 0 ? t("settings.polite") : s.interruptSensitivity >= 0.8 ? t("settings.heated") : t("settings.lively");
  return (
    <div className="settings">
      <button className="settings-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>{t("settings.open")}</button>
      {open && (
        <form className="settings-panel" onSubmit={(e) => e.preventDefault()} aria-label={t("settings.open")}>
          <label>
            {t("language.table")}
            <select aria-label={t("language.table")} value={s.language} onChange={(e) => onChange({ language: e.target.value as Language })}>
              {LANGUAGES.map((l) => <option key={l} value={l} lang={uiLanguageOf(l)}>{LANGUAGE_NAMES[uiLanguageOf(l)]}</option>)}
            </select>
            <span className="hint">{t("settings.tableLanguageHint")}</span>
          </label>
          <label>
            {t("settings.policy")}
            <select aria-label={t("settings.policy")} value={s.policy} onChange={(e) => onChange({ policy: e.target.value as PolicyName })}>
              {POLICY_NAMES.map((p) => <option key={p} value={p}>{t(`settings.policies.${p}`)}</option>)}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" aria-label={t("settings.everyoneTalks")} checked={s.everyoneTalks} onChange={(e) => onChange({ everyoneTalks: e.target.checked })} />
            {t("settings.everyoneTalksLong")}
          </label>
          <label>
            {t("settings.interruptions", { level })}
            <input type="range" aria-label={t("settings.interruptSensitivity")} min={0} max={1} step={0.05} value={s.interruptSensitivity}
              onChange={(e) => onChange({ interruptSensitivity: Number(e.target.value) })} />
          </label>
          <label className="check">
            <input type="checkbox" aria-label={t("settings.speculation")} checked={s.speculation} onChange={(e) => onChange({ speculation: e.target.checked })} />
            {t("settings.speculationLong")}
          </label>
          <a href={withInvite(`/api/tables/${encodeURIComponent(currentPlace().tableId)}/transcript.md`)} download>{t("settings.export")}</a>
        </form>
      )}
    </div>
  );
}
