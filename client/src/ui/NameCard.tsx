/** A character's card, opened by clicking its avatar: who they are, "your turn", and what they remember about you. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { uiStore, useUi } from "../state/store.js";
import { api, forTable } from "../net/place.js";
import { applyVolume, previewVoice, savedVolume } from "./voiceMixer.js";
import { uploadAvatar, resetAvatar } from "./avatarUpload.js";
import { agoText } from "../i18n/phrases.js";

interface CharacterInfo { id: string; name: string; persona?: string; voice?: string }

/** who the characters are, in the table's language (the server answers in it) */
const fetchInfo = (): Promise<CharacterInfo[]> =>
  api(forTable("/api/status")).then((r) => r.json()).then((j: { characters: CharacterInfo[] }) => j.characters).catch(() => []);

export interface NameCardActions {
  nominate: (id: string) => void;
  askMemory: (id: string) => void;
  forget: (id: string, factId?: number) => void;
  forgetMe: () => void;
}

export function NameCard({ actions }: { actions: NameCardActions }) {
  const { t } = useTranslation();
  const id = useUi((s) => s.selectedCharacter);
  const c = useUi((s) => (id ? s.room.characters[id] : undefined));
  const memory = useUi((s) => (id ? s.memory[id] : undefined));
  const tableLanguage = useUi((s) => s.room.settings.language);
  const [info, setInfo] = useState<CharacterInfo | undefined>();
  const [mix, setMix] = useState(() => savedVolume(id));
  const [previewNote, setPreviewNote] = useState("");
  const [confirmForget, setConfirmForget] = useState(false);
  const forgotten = useUi((s) => s.forgotten);
  useEffect(() => {
    if (!id) return;
    void fetchInfo().then((all) => setInfo(all.find((x) => x.id === id)));
  }, [id, tableLanguage]);
  useEffect(() => {
    if (!id) return;
    actions.askMemory(id);
    setMix(savedVolume(id));
    setPreviewNote("");
  }, [id, actions]);
  const setVolume = (volume: number, muted: boolean): void => { setMix({ volume, muted }); applyVolume(id, volume, muted); };
  if (!c) return null;
  const facts = memory?.facts ?? [];
  return (
    <aside className="namecard" aria-label={t("card.label", { name: c.name })} style={{ borderColor: c.color }}>
      <button className="close" aria-label={t("card.close")} onClick={() => uiStore.set({ selectedCharacter: "" })}>×</button>
      <h2 style={{ color: c.color }}>{c.name}</h2>
      {info?.persona && <p lang={tableLanguage}>{info.persona}</p>}
      <p className="meta">{t(`state.${c.state}`)} · {t(`emotion.${c.emotion}`)}{info?.voice ? ` · ${t("card.voice", { voice: info.voice })}` : ""}</p>
      <button className="nominate" onClick={() => actions.nominate(c.id)}>{t("card.yourTurn", { name: c.name })}</button>
      <div className="voice-mix">
        <label>
          {t("card.volume")}
          <input type="range" aria-label={t("card.volumeOf", { name: c.name })} min={0} max={1} step={0.05} value={mix.volume} onChange={(e) => setVolume(Number(e.target.value), mix.muted)} />
        </label>
        <button aria-pressed={mix.muted} onClick={() => setVolume(mix.volume, !mix.muted)}>{mix.muted ? t("card.unmute") : t("card.mute")}</button>
        <button onClick={() => void previewVoice(c.id).then(setPreviewNote, (e: Error) => setPreviewNote(e.message))}>{t("card.preview")}</button>
      </div>
      {previewNote && <p className="meta">{previewNote}</p>}
      <div className="avatar-file">
        <label>
          {t("card.avatarFile")}
          <input type="file" accept=".vrm,.glb,model/gltf-binary" aria-label={t("card.avatarFileOf", { name: c.name })}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void uploadAvatar(c.id, f).then(() => setPreviewNote(t("card.avatarSeated")), (err: Error) => setPreviewNote(err.message)); }} />
        </label>
        <button onClick={() => void resetAvatar(c.id).then(() => setPreviewNote(t("card.backToOriginal")), (err: Error) => setPreviewNote(err.message))}>{t("card.original")}</button>
      </div>
      <details className="memory">
        <summary>{t("card.remembers", { name: c.name, facts: t("card.facts", { count: facts.length }) })}</summary>
        {memory && facts.length === 0 && memory.summaries.length === 0 && <p className="meta">{t("card.nothingYet")}</p>}
        <ul>
          {facts.map((f) => (
            <li key={f.id}>
              <span lang={tableLanguage}>{f.text}</span> <span className="meta">{agoText(t, f.at)}</span>{" "}
              <button aria-label={t("card.forgetThis", { text: f.text })} onClick={() => actions.forget(c.id, f.id)}>{t("card.forget")}</button>
            </li>
          ))}
        </ul>
        {memory?.summaries.map((x) => <p key={x.at} className="meta">{t("card.earlier", { date: new Date(x.at), text: x.text })}</p>)}
        {facts.length > 0 && <button onClick={() => actions.forget(c.id)}>{t("card.forgetCharacter", { name: c.name })}</button>}
        {!confirmForget && <button onClick={() => setConfirmForget(true)}>{t("card.forgetAll")}</button>}
        {confirmForget && (
          <p className="meta">
            {t("card.forgetAllWarning")}{" "}
            <button onClick={() => { actions.forgetMe(); setConfirmForget(false); }}>{t("card.forgetAllYes")}</button>{" "}
            <button onClick={() => setConfirmForget(false)}>{t("card.forgetAllNo")}</button>
          </p>
        )}
        {forgotten && <p className="meta" role="status">{t("card.forgotten", { count: forgotten.lines, facts: forgotten.facts, summaries: forgotten.summaries, redacted: forgotten.redacted })}</p>}
      </details>
    </aside>
  );
}
