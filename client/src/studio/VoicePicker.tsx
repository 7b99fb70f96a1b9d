/** A character's voice: a provider, one of its voices (espeak-ng with a variant), speed and pitch, and Preview. */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { VoiceConfig, VoiceProvider } from "@parley/shared";
import { listVoices, previewVoice, type VoiceInfo } from "./studioApi.js";

/** providers the picker can set up from a list; server voices (openai, gpt-sovits) are set in the character's JSON */
const PICKABLE: readonly VoiceProvider[] = ["espeak", "flite", "piper", "kokoro"];
const VARIANTS = ["", "+f1", "+f2", "+f3", "+f4", "+f5", "+m1", "+m2", "+m3", "+m4", "+m5", "+m6", "+m7"];

let catalogue: Promise<VoiceInfo[]> | null = null;
const voicesOnce = (): Promise<VoiceInfo[]> => (catalogue ??= listVoices().then((r) => r.voices, (err: unknown) => { catalogue = null; throw err; }));

function splitEspeak(voice: string): [string, string] {
  const at = voice.indexOf("+");
  return at < 0 ? [voice, ""] : [voice.slice(0, at), voice.slice(at)];
}

export function VoicePicker({ value, onChange, name, error }: { value: VoiceConfig; onChange: (v: VoiceConfig) => void; name: string; error?: string }) {
  const { t } = useTranslation();
  const [voices, setVoices] = useState<VoiceInfo[]>([]);
  const [note, setNote] = useState("");
  useEffect(() => { void voicesOnce().then(setVoices, (err: Error) => setNote(err.message)); }, []);
  const byProvider = useMemo(() => {
    const m = new Map<VoiceProvider, VoiceInfo[]>();
    for (const v of voices) if (PICKABLE.includes(v.provider)) m.set(v.provider, [...(m.get(v.provider) ?? []), v]);
    return m;
  }, [voices]);
  if (!PICKABLE.includes(value.provider)) {
    return <fieldset className="field"><legend>{t("studio.voice")}</legend><p className="hint">{t("studio.voiceInJson", { provider: value.provider })}</p></fieldset>;
  }
  const voiceId = "voice" in value ? value.voice : "";
  const [base, variant] = value.provider === "espeak" ? splitEspeak(voiceId) : [voiceId, ""];
  const setVoice = (id: string, v = variant): void => onChange({ ...value, voice: value.provider === "espeak" ? `${id}${v}` : id } as VoiceConfig);
  const setProvider = (p: VoiceProvider): void => {
    const first = byProvider.get(p)?.[0]?.id ?? "en-us";
    onChange({ provider: p, voice: first, speed: value.speed, pitch: value.pitch } as VoiceConfig);
  };
  const options = byProvider.get(value.provider) ?? [];
  return (
    <fieldset className={`field${error ? " invalid" : ""}`}>
      <legend>{t("studio.voice")}</legend>
      <label>
        {t("studio.voiceProvider")}
        <select aria-label={t("studio.voiceProvider")} value={value.provider} onChange={(e) => setProvider(e.target.value as VoiceProvider)}>
          {PICKABLE.filter((p) => p === value.provider || byProvider.has(p)).map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <label>
        {t("studio.voiceName")}
        <select aria-label={t("studio.voiceName")} value={base} onChange={(e) => setVoice(e.target.value)}>
          {!options.some((o) => o.id === base) && <option value={base}>{base}</option>}
          {options.map((o) => <option key={o.id} value={o.id}>{o.name} ({o.id})</option>)}
        </select>
      </label>
      {value.provider === "espeak" && (
        <label>
          {t("studio.voiceVariant")}
          <select aria-label={t("studio.voiceVariant")} value={variant} onChange={(e) => setVoice(base, e.target.value)}>
            {VARIANTS.map((v) => <option key={v} value={v}>{v ? v.slice(1) : t("studio.voiceVariantNone")}</option>)}
          </select>
        </label>
      )}
      <label>
        {t("studio.voiceSpeed", { value: value.speed.toFixed(2) })}
        <input type="range" min={0.5} max={2} step={0.05} value={value.speed} aria-label={t("studio.voiceSpeedLabel")} onChange={(e) => onChange({ ...value, speed: Number(e.target.value) })} />
      </label>
      <label>
        {t("studio.voicePitch", { value: value.pitch })}
        <input type="range" min={0} max={100} step={1} value={value.pitch} aria-label={t("studio.voicePitchLabel")} onChange={(e) => onChange({ ...value, pitch: Number(e.target.value) })} />
      </label>
      <button type="button" onClick={() => { setNote(""); void previewVoice(value, t("studio.previewText", { name })).then(setNote, (err: Error) => setNote(err.message)); }}>{t("studio.preview")}</button>
      {note && <p className="hint" role="status">{note}</p>}
      {error && <p className="field-error" role="alert">{error}</p>}
    </fieldset>
  );
}
