/**
 * The list of tables (`/tables`): each opens at its own address. The host also
 * makes new ones here: a name, one to six characters, a language.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, type Language } from "@parley/shared";
import { api, tableHref } from "../net/place.js";
import { LANGUAGE_NAMES, currentUiLanguage, tableLanguageOfUi, uiLanguageOf } from "../i18n/i18n.js";
import { LanguageSwitch } from "./LanguageSwitch.js";

interface TableRow { id: string; name: string; characters: string[]; language: Language; url: string }
interface Listing { role: "host" | "guest"; tables: TableRow[]; cast: { id: string; name: string }[] }

const MAX_CAST = 6;

export function TablesPage() {
  const { t } = useTranslation();
  const [list, setList] = useState<Listing | null>(null);
  const [error, setError] = useState("");
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [language, setLanguage] = useState<Language>(tableLanguageOfUi(currentUiLanguage()));
  const load = (): void => {
    void api("/api/tables").then(async (r) => {
      if (!r.ok) throw new Error(((await r.json().catch(() => ({}))) as { error?: string }).error ?? String(r.status));
      setList((await r.json()) as Listing);
    }).catch((err: Error) => setError(err.message));
  };
  useEffect(load, []);
  const create = async (): Promise<void> => {
    setError("");
    const r = await api("/api/tables", { method: "POST", body: JSON.stringify({ name, characters: chosen, language }), headers: { "content-type": "application/json" } });
    const body = (await r.json().catch(() => ({}))) as { id?: string; error?: string };
    if (!r.ok || !body.id) { setError(body.error ?? String(r.status)); return; }
    window.location.href = tableHref(body.id);
  };
  const toggle = (id: string): void => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : c.length < MAX_CAST ? [...c, id] : c));
  return (
    <main className="tables-page">
      <header className="top"><h1>Parley</h1><LanguageSwitch /></header>
      <h2>{t("tables.title")}</h2>
      {error && <p className="chat-error" role="alert">{error}</p>}
      <ul className="table-list">
        {list?.tables.map((x) => (
          <li key={x.id}>
            <a href={tableHref(x.id)}>{x.name}</a> <span className="meta" lang={uiLanguageOf(x.language)}>{LANGUAGE_NAMES[uiLanguageOf(x.language)]} · {t("tables.characters", { count: x.characters.length })}</span>
          </li>
        ))}
      </ul>
      {list?.role === "host" && (
        <form className="new-table" onSubmit={(e) => { e.preventDefault(); void create(); }} aria-label={t("tables.new")}>
          <h3>{t("tables.new")}</h3>
          <label>{t("tables.name")}<input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} aria-label={t("tables.name")} /></label>
          <fieldset>
            <legend>{t("tables.cast", { max: MAX_CAST })}</legend>
            {list.cast.map((c) => (
              <label key={c.id} className="check"><input type="checkbox" checked={chosen.includes(c.id)} onChange={() => toggle(c.id)} aria-label={c.name} />{c.name}</label>
            ))}
          </fieldset>
          <label>
            {t("language.table")}
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} aria-label={t("language.table")}>
              {LANGUAGES.map((l) => <option key={l} value={l} lang={uiLanguageOf(l)}>{LANGUAGE_NAMES[uiLanguageOf(l)]}</option>)}
            </select>
          </label>
          <button type="submit" disabled={!name.trim() || chosen.length === 0}>{t("tables.create")}</button>
        </form>
      )}
    </main>
  );
}
