/** Who sits at the table: one button per character (opens its card), and who of the people is talking. */
import { uiStore, useUi } from "../state/store.js";

export function CastBar() {
  const characters = useUi((s) => s.room.characters);
  const people = useUi((s) => s.room.people);
  const me = useUi((s) => s.sessionId);
  const list = Object.values(characters).sort((a, b) => a.seat - b.seat);
  return (
    <nav className="castbar" aria-label="At the table">
      {list.map((c) => (
        <button key={c.id} aria-label={`${c.name}'s card`} data-state={c.state} onClick={() => uiStore.set({ selectedCharacter: c.id })}>
          <span className="dot" style={{ background: c.color }} />{c.name}
        </button>
      ))}
      {Object.values(people).filter((p) => p.sessionId !== me).map((p) => (
        <span key={p.sessionId} className="person" data-speaking={p.speaking ? "1" : "0"}>{p.name}</span>
      ))}
    </nav>
  );
}
