/** The table's conversation settings: who answers, whether characters talk among themselves, how heated it gets. */
import { useState } from "react";
import { POLICY_NAMES, type PolicyName, type RoomSettingsPayload } from "@parley/shared";
import { useUi } from "../state/store.js";

const POLICY_LABEL: Record<PolicyName, string> = {
  natural: "Natural (talkative speak more)",
  pooled: "Everyone once",
  list: "In turn around the table",
  llm: "The model decides",
  manual: "I pick (click an avatar)",
};

export function SettingsPanel({ onChange }: { onChange: (patch: RoomSettingsPayload) => void }) {
  const s = useUi((x) => x.room.settings);
  const [open, setOpen] = useState(false);
  return (
    <div className="settings">
      <button className="settings-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>Table settings</button>
      {open && (
        <form className="settings-panel" onSubmit={(e) => e.preventDefault()} aria-label="Table settings">
          <label>
            Who answers
            <select aria-label="Who answers" value={s.policy} onChange={(e) => onChange({ policy: e.target.value as PolicyName })}>
              {POLICY_NAMES.map((p) => <option key={p} value={p}>{POLICY_LABEL[p]}</option>)}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" aria-label="Everyone talks" checked={s.everyoneTalks} onChange={(e) => onChange({ everyoneTalks: e.target.checked })} />
            Everyone talks (characters answer each other)
          </label>
          <label>
            Interruptions: {s.interruptSensitivity === 0 ? "polite" : s.interruptSensitivity >= 0.8 ? "heated" : "lively"}
            <input type="range" aria-label="Interrupt sensitivity" min={0} max={1} step={0.05} value={s.interruptSensitivity}
              onChange={(e) => onChange({ interruptSensitivity: Number(e.target.value) })} />
          </label>
          <label className="check">
            <input type="checkbox" aria-label="Prepare replies ahead" checked={s.speculation} onChange={(e) => onChange({ speculation: e.target.checked })} />
            Prepare the next reply ahead (shorter pauses)
          </label>
          <a href="/api/transcript.md" download>Export transcript (Markdown)</a>
        </form>
      )}
    </div>
  );
}
