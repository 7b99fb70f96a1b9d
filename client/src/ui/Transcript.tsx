/** The conversation so far. Text is rendered as text (React escapes it), never as markup. */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useUi } from "../state/store.js";
import { splitAsides, type LineView } from "@parley/shared";

/** Actions and thoughts (`*smiles*`, `(sighs)`) show styled: they are not spoken. */
function Words({ text }: { text: string }) {
  return <>{splitAsides(text).map((p, i) => (p.kind === "aside" ? <span key={i} className="aside">{p.text}</span> : p.text))}</>;
}

/** A line's words are in the table's language (`lang` picks the right font for Chinese), whatever the page's. */
function Line({ line, color, mine, lang }: { line: LineView; color: string; mine: boolean; lang: string }) {
  const { t } = useTranslation();
  const cut = line.interrupted && line.text.startsWith(line.heardText) ? line.text.slice(line.heardText.length) : "";
  return (
    <li className={`line line-${line.kind}${mine ? " line-mine" : ""}`} data-line-id={line.id}>
      <span className="speaker" style={{ color }}>{line.speakerName}</span>
      <span className="text" lang={lang}>
        <Words text={line.interrupted ? line.heardText : line.text} />
        {cut && <span className="unheard" title={t("transcript.notHeard")}><Words text={cut} /></span>}
        {line.interrupted && <span className="cutoff" aria-label={t("transcript.cutOff")}>—</span>}
        {!line.done && !line.text && <span className="typing" aria-label={t("transcript.thinking")}>…</span>}
      </span>
      {line.error && <span className="line-error" role="alert">{line.error}</span>}
    </li>
  );
}

export function Transcript() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.room.settings.language);
  const transcript = useUi((s) => s.room.transcript);
  const characters = useUi((s) => s.room.characters);
  const me = useUi((s) => s.sessionId);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => { end.current?.scrollIntoView({ block: "end" }); }, [transcript]);
  return (
    <section className="transcript" aria-label={t("transcript.label")}>
      <ol>
        {transcript.map((l) => (
          <Line key={l.id} line={l} color={characters[l.speakerId]?.color ?? "#d9d2e9"} mine={l.speakerId === me} lang={lang} />
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
    </section>
  );
}
