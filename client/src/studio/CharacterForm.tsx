/**
 * Editing one character: who it is (name, description, personality, scenario,
 * greetings, examples, instructions, card notes), how it talks at the table
 * (talkativeness, interruptiveness, temperature, colour), its voice and avatar.
 * Checked with the same schema the server uses before it is sent; problems the
 * server finds come back and show beside their fields too.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CharacterConfig } from "@parley/shared";
import { TextField, TextList, Slider, fromList, toList } from "./fields.js";
import { VoicePicker } from "./VoicePicker.js";
import { AvatarPicker } from "./AvatarPicker.js";
import { saveCharacter, uploadOwnAvatar, StudioError, type FieldIssue, type LibraryEntry } from "./studioApi.js";

type Draft = CharacterConfig;

/** Issues by their field (the first part of the path: "voice.speed" -> "voice"). */
function byField(issues: readonly FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) { const k = i.path.split(".")[0] || "_"; out[k] ??= i.message; }
  return out;
}

export function CharacterForm({ entry, generated, onSaved }: { entry: LibraryEntry; generated: readonly string[]; onSaved: (c: CharacterConfig, note: string) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(entry.character);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  useEffect(() => { setDraft(entry.character); setErrors({}); setStatus(""); }, [entry]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: "persona" | "personality" | "scenario" | "examples" | "systemPrompt" | "postHistory" | "greeting" | "nickname") => (v: string) => set(key, v);
  const card = draft.card ?? { creator: "", version: "", tags: [], creatorNotes: "", extensions: {} };

  const save = async (): Promise<void> => {
    setStatus("");
    const checked = CharacterConfig.safeParse(draft);
    if (!checked.success) {
      setErrors(byField(checked.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }))));
      setStatus(t("studio.fixErrors"));
      return;
    }
    try {
      const saved = await saveCharacter(checked.data);
      setErrors({});
      onSaved(saved, t("studio.saved", { name: saved.name }));
    } catch (err) {
      setErrors(err instanceof StudioError ? byField(err.issues) : {});
      setStatus((err as Error).message);
    }
  };

  return (
    <form className="character-form" aria-label={t("studio.editing", { name: entry.character.name })} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <div className="form-columns">
        <div>
          <TextField label={t("studio.name")} value={draft.name} onChange={(v) => set("name", v)} error={errors.name} />
          <TextField label={t("studio.nickname")} value={draft.nickname ?? ""} onChange={text("nickname")} error={errors.nickname} hint={t("studio.nicknameHint", { char: "{{char}}" })} />
          <TextField label={t("studio.nicknames")} value={fromList(draft.nicknames)} onChange={(v) => set("nicknames", toList(v))} error={errors.nicknames} hint={t("studio.nicknamesHint")} />
          <TextField label={t("studio.description")} value={draft.persona} onChange={text("persona")} error={errors.persona} multiline rows={5} />
          <TextField label={t("studio.personality")} value={draft.personality ?? ""} onChange={text("personality")} error={errors.personality} multiline />
          <TextField label={t("studio.scenario")} value={draft.scenario ?? ""} onChange={text("scenario")} error={errors.scenario} multiline />
          <TextField label={t("studio.greeting")} value={draft.greeting ?? ""} onChange={text("greeting")} error={errors.greeting} multiline hint={t("studio.greetingHint")} />
          <TextList label={t("studio.alternateGreetings")} values={draft.alternateGreetings ?? []} onChange={(v) => set("alternateGreetings", v)} error={errors.alternateGreetings} />
          <TextList label={t("studio.groupGreetings")} values={draft.groupGreetings ?? []} onChange={(v) => set("groupGreetings", v)} error={errors.groupGreetings} />
          <TextField label={t("studio.examples")} value={draft.examples ?? ""} onChange={text("examples")} error={errors.examples} multiline rows={4} />
          <TextField label={t("studio.systemPrompt")} value={draft.systemPrompt ?? ""} onChange={text("systemPrompt")} error={errors.systemPrompt} multiline />
          <TextField label={t("studio.postHistory")} value={draft.postHistory ?? ""} onChange={text("postHistory")} error={errors.postHistory} multiline />
        </div>
        <div>
          <Slider label={t("studio.talkativeness")} value={draft.talkativeness} onChange={(v) => set("talkativeness", v)} error={errors.talkativeness} />
          <Slider label={t("studio.interruptiveness")} value={draft.interruptiveness} onChange={(v) => set("interruptiveness", v)} error={errors.interruptiveness} />
          <Slider label={t("studio.temperature")} value={draft.temperature} onChange={(v) => set("temperature", v)} error={errors.temperature} max={2} />
          <label className={`field${errors.color ? " invalid" : ""}`}>
            <span className="label">{t("studio.color")}</span>
            <input type="color" aria-label={t("studio.color")} value={/^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color : "#888888"} onChange={(e) => set("color", e.target.value)} />
            {errors.color && <span className="field-error" role="alert">{errors.color}</span>}
          </label>
          <VoicePicker value={draft.voice} onChange={(v) => set("voice", v)} name={draft.name} error={errors.voice} />
          <AvatarPicker value={draft.avatar} onChange={(v) => set("avatar", v)} error={errors.avatar} choice={{ generated, ownAvatar: entry.ownAvatar, id: draft.id }}
            onUpload={async (file) => { const c = await uploadOwnAvatar(draft.id, file); onSaved(c, t("studio.avatarUploaded")); }} />
          <TextField label={t("studio.tags")} value={fromList(card.tags)} onChange={(v) => set("card", { ...card, tags: toList(v) })} error={errors.card} />
          <TextField label={t("studio.creatorNotes")} value={card.creatorNotes} onChange={(v) => set("card", { ...card, creatorNotes: v })} multiline hint={t("studio.creatorNotesHint")} />
          {draft.lorebook && <p className="hint">{t("studio.lorebook", { count: draft.lorebook.entries.length })}</p>}
        </div>
      </div>
      {errors._ && <p className="field-error" role="alert">{errors._}</p>}
      <div className="form-actions">
        <button type="submit" className="primary">{t("studio.save")}</button>
        {status && <span role="status" className="hint">{status}</span>}
      </div>
    </form>
  );
}
