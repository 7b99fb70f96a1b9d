/**
 * The character studio (/studio): every character Parley knows, bundled and the
 * user's own; make, import, duplicate, edit, delete, export; seat one at the
 * table or send it away. Changes reach a seated character at once.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CharacterConfig } from "@parley/shared";
import { LanguageSwitch } from "../ui/LanguageSwitch.js";
import { CharacterForm } from "./CharacterForm.js";
import { createCharacter, deleteCharacter, duplicateCharacter, importCard, listCharacters, seatCharacter, studioTable, unseatCharacter, type LibraryEntry } from "./studioApi.js";
import { tableHref, withInvite } from "../net/place.js";

export function Studio() {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<LibraryEntry[]>([]);
  const [generated, setGenerated] = useState<string[]>([]);
  const [selected, setSelected] = useState("");
  const [status, setStatus] = useState("");
  const refresh = useCallback(async (pick?: string): Promise<void> => {
    const r = await listCharacters();
    setEntries(r.characters);
    setGenerated(r.generated);
    setSelected((s) => pick ?? (r.characters.some((e) => e.character.id === s) ? s : r.characters[0]?.character.id ?? ""));
  }, []);
  useEffect(() => { void refresh().catch((err: Error) => setStatus(err.message)); }, [refresh]);
  const entry = entries.find((e) => e.character.id === selected);
  const act = (p: Promise<unknown>, done: string, pick?: string): void => {
    setStatus("");
    void p.then(() => refresh(pick)).then(() => setStatus(done), (err: Error) => setStatus(err.message));
  };
  const onSaved = (c: CharacterConfig, note: string): void => act(Promise.resolve(), note, c.id);

  return (
    <div className="studio">
      <header className="studio-top">
        <h1>{t("studio.title")}</h1>
        <a href={tableHref(studioTable())}>{t("studio.backToTable")}</a>
        <label className="import">
          {t("studio.import")}
          <input type="file" accept=".png,.json,.charx,.zip,image/png,application/json,application/zip" aria-label={t("studio.import")}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) { setStatus(""); void importCard(f).then((c) => refresh(c.id).then(() => setStatus(t("studio.imported", { name: c.name }))), (err: Error) => setStatus(err.message)); } e.target.value = ""; }} />
        </label>
        <button onClick={() => act(createCharacter({ name: t("studio.newName"), persona: "", avatar: generated[0] ?? "ada.vrm" }).then((c) => { setSelected(c.id); return c; }), t("studio.created"))}>{t("studio.new")}</button>
        <LanguageSwitch />
      </header>
      {status && <p className="studio-status" role="status">{status}</p>}
      <div className="studio-body">
        <nav className="studio-list" aria-label={t("studio.characters")}>
          <ul>
            {entries.map((e) => (
              <li key={e.character.id}>
                <button aria-current={e.character.id === selected} onClick={() => setSelected(e.character.id)} style={{ borderColor: e.character.color }}>
                  <img src={withInvite(`/api/characters/${encodeURIComponent(e.character.id)}/portrait.png?size=small`)} alt="" width={40} height={60} loading="lazy" />
                  <span className="name">{e.character.name}</span>
                  <span className="badges">
                    {e.seated && <span className="badge">{t("studio.seated")}</span>}
                    {e.bundled && <span className="badge">{e.edited ? t("studio.edited") : t("studio.bundled")}</span>}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {entry && (
          <section className="studio-detail" aria-label={entry.character.name}>
            <div className="studio-actions">
              {entry.seated
                ? <button onClick={() => act(unseatCharacter(entry.character.id), t("studio.leaving", { name: entry.character.name }))}>{t("studio.unseat")}</button>
                : <button onClick={() => act(seatCharacter(entry.character.id), t("studio.seatedNow", { name: entry.character.name }))}>{t("studio.seat")}</button>}
              <button onClick={() => act(duplicateCharacter(entry.character.id, t("studio.copyName", { name: entry.character.name })).then((c) => { setSelected(c.id); return c; }), t("studio.duplicated"))}>{t("studio.duplicate")}</button>
              {(!entry.bundled || entry.edited) && (
                <button className="danger" onClick={() => { if (window.confirm(entry.edited ? t("studio.revertConfirm", { name: entry.character.name }) : t("studio.deleteConfirm", { name: entry.character.name }))) act(deleteCharacter(entry.character.id), entry.edited ? t("studio.reverted") : t("studio.deleted")); }}>
                  {entry.edited ? t("studio.revert") : t("studio.delete")}
                </button>
              )}
              <span className="export">
                {t("studio.export")}{" "}
                <a href={withInvite(`/api/characters/${encodeURIComponent(entry.character.id)}/export?format=png`)} download>PNG</a>{" "}
                <a href={withInvite(`/api/characters/${encodeURIComponent(entry.character.id)}/export?format=json`)} download>JSON</a>{" "}
                <a href={withInvite(`/api/characters/${encodeURIComponent(entry.character.id)}/export?format=charx`)} download>CHARX</a>
              </span>
            </div>
            <CharacterForm key={entry.character.id} entry={entry} generated={generated} onSaved={onSaved} />
          </section>
        )}
      </div>
    </div>
  );
}
