/** The page's language, switched at once: every string, number and date follows. */
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, UI_LANGUAGES, currentUiLanguage, setUiLanguage, type UiLanguage } from "../i18n/i18n.js";

export function LanguageSwitch() {
  // re-renders when the language changes
  const { t } = useTranslation();
  return (
    <select className="language-switch" aria-label={t("language.page")} value={currentUiLanguage()}
      onChange={(e) => setUiLanguage(e.target.value as UiLanguage)}>
      {UI_LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
    </select>
  );
}
