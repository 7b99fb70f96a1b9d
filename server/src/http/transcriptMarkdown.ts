/** The conversation as Markdown, in the table's language: one paragraph per line, cut-off lines marked. */
import type { Language } from "@parley/shared";
import type { LogEntry } from "../conversation/ConversationLog.js";
import { serverText } from "../i18n/serverText.js";

/**
 * Markdown-escapes text a person or model wrote, so it cannot become markup: one
 * line (a line break could start a heading, a list or a setext underline), every
 * markup character escaped.
 */
export const escapeMd = (s: string): string => s.replace(/\s+/g, " ").trim().replace(/([\\`*_{}[\]()#+\-.!|<>~=:&])/g, "\\$1");

/** Days are headed in the language's long form ("21 ноября 2026 г.", "2026年11月21日"); times are UTC, 24-hour. */
export function transcriptMarkdown(lines: readonly LogEntry[], language: Language = "en"): string {
  const t = serverText(language);
  const dayName = new Intl.DateTimeFormat(t.locale, { dateStyle: "long", timeZone: "UTC" });
  const out = [`# ${t.transcriptTitle}`, ""];
  let day = "";
  for (const l of lines) {
    const d = new Date(l.at);
    const thisDay = d.toISOString().slice(0, 10);
    if (thisDay !== day) { day = thisDay; out.push(`## ${dayName.format(d)}`, ""); }
    const time = d.toISOString().slice(11, 16);
    const said = l.interrupted ? `${escapeMd(l.heardText)}… *${t.cutOff}*` : escapeMd(l.text);
    const err = l.error ? ` *${t.failed(escapeMd(l.error))}*` : "";
    out.push(`**${escapeMd(l.speakerName)}** (${time}): ${said}${err}`, "");
  }
  return out.join("\n");
}
