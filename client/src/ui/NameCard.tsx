/** A character's card, opened by clicking its avatar. */
import { useEffect, useState } from "react";
import { uiStore, useUi } from "../state/store.js";

interface CharacterInfo { id: string; name: string; persona?: string; voice?: string }

let infoCache: Promise<CharacterInfo[]> | null = null;
const fetchInfo = (): Promise<CharacterInfo[]> =>
  (infoCache ??= fetch("/api/status").then((r) => r.json()).then((j: { characters: CharacterInfo[] }) => j.characters).catch(() => []));

export function NameCard() {
  const id = useUi((s) => s.selectedCharacter);
  const c = useUi((s) => (id ? s.room.characters[id] : undefined));
  const [info, setInfo] = useState<CharacterInfo | undefined>();
  useEffect(() => {
    if (id) void fetchInfo().then((all) => setInfo(all.find((x) => x.id === id)));
  }, [id]);
  if (!c) return null;
  return (
    <aside className="namecard" aria-label={`${c.name}'s card`} style={{ borderColor: c.color }}>
      <button className="close" aria-label="Close" onClick={() => uiStore.set({ selectedCharacter: "" })}>×</button>
      <h2 style={{ color: c.color }}>{c.name}</h2>
      {info?.persona && <p>{info.persona}</p>}
      <p className="meta">{c.state} · {c.emotion}{info?.voice ? ` · voice ${info.voice}` : ""}</p>
    </aside>
  );
}
