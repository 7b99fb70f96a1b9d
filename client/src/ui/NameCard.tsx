/** A character's card, opened by clicking its avatar: who they are, "your turn", and what they remember about you. */
import { useEffect, useState } from "react";
import { uiStore, useUi } from "../state/store.js";
import { applyVolume, previewVoice, savedVolume } from "./voiceMixer.js";
import { uploadAvatar, resetAvatar } from "./avatarUpload.js";

interface CharacterInfo { id: string; name: string; persona?: string; voice?: string }

let infoCache: Promise<CharacterInfo[]> | null = null;
const fetchInfo = (): Promise<CharacterInfo[]> =>
  (infoCache ??= fetch("/api/status").then((r) => r.json()).then((j: { characters: CharacterInfo[] }) => j.characters).catch(() => []));

export interface NameCardActions {
  nominate: (id: string) => void;
  askMemory: (id: string) => void;
  forget: (id: string, factId?: number) => void;
  forgetMe: () => void;
}

export function NameCard({ actions }: { actions: NameCardActions }) {
  const id = useUi((s) => s.selectedCharacter);
  const c = useUi((s) => (id ? s.room.characters[id] : undefined));
  const memory = useUi((s) => (id ? s.memory[id] : undefined));
  const [info, setInfo] = useState<CharacterInfo | undefined>();
  const [mix, setMix] = useState(() => savedVolume(id));
  const [previewNote, setPreviewNote] = useState("");
  const [confirmForget, setConfirmForget] = useState(false);
  const forgotten = useUi((s) => s.forgotten);
  useEffect(() => {
    if (!id) return;
    void fetchInfo().then((all) => setInfo(all.find((x) => x.id === id)));
    actions.askMemory(id);
    setMix(savedVolume(id));
    setPreviewNote("");
  }, [id, actions]);
  const setVolume = (volume: number, muted: boolean): void => { setMix({ volume, muted }); applyVolume(id, volume, muted); };
  if (!c) return null;
  return (
    <aside className="namecard" aria-label={`${c.name}'s card`} style={{ borderColor: c.color }}>
      <button className="close" aria-label="Close" onClick={() => uiStore.set({ selectedCharacter: "" })}>×</button>
      <h2 style={{ color: c.color }}>{c.name}</h2>
      {info?.persona && <p>{info.persona}</p>}
      <p className="meta">{c.state} · {c.emotion}{info?.voice ? ` · voice ${info.voice}` : ""}</p>
      <button className="nominate" onClick={() => actions.nominate(c.id)}>Your turn, {c.name}</button>
      <div className="voice-mix">
        <label>
          Volume
          <input type="range" aria-label={`${c.name}'s volume`} min={0} max={1} step={0.05} value={mix.volume} onChange={(e) => setVolume(Number(e.target.value), mix.muted)} />
        </label>
        <button aria-pressed={mix.muted} onClick={() => setVolume(mix.volume, !mix.muted)}>{mix.muted ? "Unmute" : "Mute"}</button>
        <button onClick={() => void previewVoice(c.id).then(setPreviewNote, (e: Error) => setPreviewNote(e.message))}>Preview voice</button>
      </div>
      {previewNote && <p className="meta">{previewNote}</p>}
      <div className="avatar-file">
        <label>
          Change avatar (.vrm)
          <input type="file" accept=".vrm,.glb,model/gltf-binary" aria-label={`${c.name}'s avatar file`}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void uploadAvatar(c.id, f).then(() => setPreviewNote("New avatar seated."), (err: Error) => setPreviewNote(err.message)); }} />
        </label>
        <button onClick={() => void resetAvatar(c.id).then(() => setPreviewNote("Back to the original avatar."), (err: Error) => setPreviewNote(err.message))}>Original</button>
      </div>
      <details className="memory">
        <summary>What {c.name} remembers about you ({memory?.facts.length ?? 0})</summary>
        {memory && memory.facts.length === 0 && memory.summaries.length === 0 && <p className="meta">Nothing yet.</p>}
        <ul>
          {memory?.facts.map((f) => (
            <li key={f.id}>
              {f.text} <button aria-label={`Forget: ${f.text}`} onClick={() => actions.forget(c.id, f.id)}>forget</button>
            </li>
          ))}
        </ul>
        {memory?.summaries.map((x) => <p key={x.at} className="meta">Earlier: {x.text}</p>)}
        {memory && memory.facts.length > 0 && <button onClick={() => actions.forget(c.id)}>Forget what {c.name} knows about me</button>}
        {!confirmForget && <button onClick={() => setConfirmForget(true)}>Forget everything about me</button>}
        {confirmForget && (
          <p className="meta">
            Every line you said, your name in others&apos; lines, and what every character remembers about you will be deleted.{" "}
            <button onClick={() => { actions.forgetMe(); setConfirmForget(false); }}>Yes, forget me</button>{" "}
            <button onClick={() => setConfirmForget(false)}>Keep</button>
          </p>
        )}
        {forgotten && <p className="meta" role="status">Forgotten: {forgotten.lines} of your lines, {forgotten.facts} facts, {forgotten.summaries} summaries; your name removed from {forgotten.redacted} lines.</p>}
      </details>
    </aside>
  );
}
