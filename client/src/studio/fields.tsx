/** The studio's form controls: each shows its error beside it. Text is plain text (React escapes it). */
import { useTranslation } from "react-i18next";

export function TextField({ label, value, onChange, error, multiline, rows = 3, hint }: { label: string; value: string; onChange: (v: string) => void; error?: string; multiline?: boolean; rows?: number; hint?: string }) {
  return (
    <label className={`field${error ? " invalid" : ""}`}>
      <span className="label">{label}</span>
      {multiline
        ? <textarea aria-label={label} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
        : <input aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />}
      {hint && <span className="hint">{hint}</span>}
      {error && <span className="field-error" role="alert">{error}</span>}
    </label>
  );
}

export function Slider({ label, value, onChange, error, min = 0, max = 1, step = 0.05 }: { label: string; value: number; onChange: (v: number) => void; error?: string; min?: number; max?: number; step?: number }) {
  return (
    <label className={`field${error ? " invalid" : ""}`}>
      <span className="label">{label}: {value.toFixed(2)}</span>
      <input type="range" aria-label={label} min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} />
      {error && <span className="field-error" role="alert">{error}</span>}
    </label>
  );
}

/** A list of long texts (alternate greetings): one box each, added and removed. */
export function TextList({ label, values, onChange, error }: { label: string; values: readonly string[]; onChange: (v: string[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className={`field${error ? " invalid" : ""}`}>
      <legend>{label}</legend>
      {values.map((v, i) => (
        <div key={i} className="list-item">
          <textarea aria-label={`${label} ${i + 1}`} rows={2} value={v} onChange={(e) => onChange(values.map((x, j) => (j === i ? e.target.value : x)))} />
          <button type="button" aria-label={t("studio.removeItem", { n: i + 1 })} onClick={() => onChange(values.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...values, ""])}>{t("studio.addItem")}</button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </fieldset>
  );
}

/** "a, b, c" <-> ["a", "b", "c"] */
export const fromList = (values: readonly string[] | undefined): string => (values ?? []).join(", ");
export const toList = (text: string): string[] => text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
