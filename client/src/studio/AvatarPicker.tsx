/** A character's avatar: one of the generated cast, its own VRM (from its card or an upload), or a new upload. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { withInvite } from "../net/place.js";

export interface AvatarChoice { generated: readonly string[]; ownAvatar: boolean; id: string }

export function AvatarPicker({ value, onChange, onUpload, choice, error }: { value: string; onChange: (avatar: string) => void; onUpload: (file: File) => Promise<void>; choice: AvatarChoice; error?: string }) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  const own = `./${choice.id}.own.vrm`;
  const options = [...choice.generated.map((f) => ({ value: f, label: f.replace(/\.vrm$/, ""), src: `/api/avatars/generated/${encodeURIComponent(f)}/portrait.png?size=small` }))];
  if (choice.ownAvatar) options.unshift({ value: own, label: t("studio.ownAvatar"), src: `/api/characters/${encodeURIComponent(choice.id)}/portrait.png?size=small` });
  const known = options.some((o) => o.value === value);
  return (
    <fieldset className={`field avatars${error ? " invalid" : ""}`}>
      <legend>{t("studio.avatar")}</legend>
      <div className="avatar-grid" role="radiogroup" aria-label={t("studio.avatar")}>
        {!known && <p className="hint">{t("studio.avatarConfigured", { file: value })}</p>}
        {options.map((o) => (
          <button type="button" key={o.value} role="radio" aria-checked={o.value === value} className={o.value === value ? "picked" : ""} onClick={() => onChange(o.value)} title={o.label}>
            <img src={withInvite(o.src)} alt={o.label} loading="lazy" width={60} height={90} />
            <span>{o.label}</span>
          </button>
        ))}
      </div>
      <label>
        {t("studio.avatarUpload")}
        <input type="file" accept=".vrm,.glb,model/gltf-binary" aria-label={t("studio.avatarUpload")}
          onChange={(e) => { const f = e.target.files?.[0]; if (f) { setNote(""); void onUpload(f).then(() => setNote(t("studio.avatarUploaded")), (err: Error) => setNote(err.message)); } }} />
      </label>
      {note && <p className="hint" role="status">{note}</p>}
      {error && <p className="field-error" role="alert">{error}</p>}
    </fieldset>
  );
}
