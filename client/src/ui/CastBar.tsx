/** Who sits at the table: one button per character (opens its card), and who of the people is talking. */
import { useTranslation } from "react-i18next";
import { uiStore, useUi } from "../state/store.js";

export function CastBar() {
  const { t } = useTranslation();
  const characters = useUi((s) => s.room.characters);
  const people = useUi((s) => s.room.people);
  const me = useUi((s) => s.sessionId);
  const list = Object.values(characters).sort((a, b) => a.seat - b.seat);
  return (
    <nav className="castbar" aria-label={t("cast.label")}>
      {list.map((c) => (
        <button key={c.id} aria-label={t("cast.card", { name: c.name })} data-state={c.state} onClick={() => uiStore.set({ selectedCharacter: c.id })}>
          <span className="dot" style={{ background: c.color }} />{c.name}
        </button>
      ))}
      {Object.values(people).filter((p) => p.sessionId !== me).map((p) => (
        <span key={p.sessionId} className="person" data-speaking={p.speaking ? "1" : "0"}>{p.name}</span>
      ))}
    </nav>
  );
}
