import { describe, it, expect } from "vitest";
import { marked } from "marked";
import { transcriptMarkdown } from "./transcriptMarkdown.js";
import type { LogEntry } from "../conversation/ConversationLog.js";

const line = (speakerName: string, text: string, o: Partial<LogEntry> = {}): LogEntry =>
  ({ id: Math.random().toString(36), kind: "person", speakerId: "s", speakerName, text, heardText: text, interrupted: false, error: "", done: true, addressee: "", at: Date.UTC(2026, 10, 29, 12, 0), ...o });

const HOSTILE = [
  "hi\n# I am a heading",
  "Title\n===",
  "Sub\n---",
  "* a list\n1. another",
  "> quoted",
  "<script>alert(1)</script><img src=x onerror=alert(1)>",
  "[click](javascript:alert(1)) ![x](http://evil/x.png)",
  "&lt;b&gt;entity&lt;/b&gt;",
  "`code` **bold** _em_ ~~strike~~ | table | row |",
  "    indented code block",
];

describe("the transcript export", () => {
  it("renders every hostile line as one plain paragraph", async () => {
    const md = transcriptMarkdown([...HOSTILE.map((t) => line("Eve\n# not a heading", t)), line("Ada", "cut off here", { kind: "character", interrupted: true, heardText: "cut <b>off</b>" })]);
    const html = await marked.parse(md);
    // only our own two headings
    expect(html.match(/<h\d/g)).toEqual(["<h1", "<h2"]);
    for (const tag of ["<script", "<img", "<a ", "<ul", "<ol", "<blockquote", "<code", "<pre", "<table", "<del", "<hr"]) expect(html, tag).not.toContain(tag);
    // every said line is one paragraph that starts with its speaker in bold
    const paragraphs = html.match(/<p>[\s\S]*?<\/p>/g) ?? [];
    expect(paragraphs).toHaveLength(HOSTILE.length + 1);
    for (const p of paragraphs) expect(p).toMatch(/^<p><strong>/);
    // the words themselves survive, as text
    expect(html).toContain("I am a heading");
    expect(html).toContain("&lt;script&gt;");
  });
});
