/** The conversation as Markdown: one paragraph per line, cut-off lines marked. */
import type { LogEntry } from "../conversation/ConversationLog.js";

/**
 * Markdown-escapes text a person or model wrote, so it cannot become markup: one
 * line (a line break could start a heading, a list or a setext underline), every
 * markup character escaped.
 */
export const escapeMd = (s: string): string => s.replace(/\s+/g, " ").trim().replace(/([\\`*_{}[\]()#+\-.!|<>~=:&])/g, "\\$1");

export function transcriptMarkdown(lines: readonly LogEntry[]): string {
  const out = ["# Parley transcript", ""];
  let day = "";
  for (const l of lines) {
    const d = new Date(l.at);
    const thisDay = d.toISOString().slice(0, 10);
    if (thisDay !== day) { day = thisDay; out.push(`## ${day}`, ""); }
    const time = d.toISOString().slice(11, 16);
    const said = l.interrupted ? `${escapeMd(l.heardText)}… *(cut off)*` : escapeMd(l.text);
    const err = l.error ? ` *(failed: ${escapeMd(l.error)})*` : "";
    out.push(`**${escapeMd(l.speakerName)}** (${time}): ${said}${err}`, "");
  }
  return out.join("\n");
}
