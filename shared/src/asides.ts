/**
 * Actions and thoughts in a character's words: `*smiles*`, `(he sighs)`,
 * `（叹气）`. Cards and models write them as stage directions. They are shown
 * in the transcript (styled), may set the face, and are never spoken: the voice
 * gets only the words outside them. One streaming parser serves the server's
 * speech pipeline and the page's transcript, so both agree on what is an aside.
 */
import type { Emotion } from "./names.js";

export interface AsidePiece {
  /** an aside keeps its delimiters ("*smiles*") so the transcript can show it as written */
  kind: "spoken" | "aside";
  text: string;
}

const OPEN_PAREN = new Set(["(", "（"]);
const CLOSE_PAREN = new Set([")", "）"]);

/** Splits text as it streams in; a delimiter split across deltas is handled, an unclosed aside runs to the end. */
export class AsideParser {
  private mode: "spoken" | "star" | "paren" = "spoken";
  private parens = 0;
  /** the last character was a star of an opening or a closing run ("**" is one delimiter) */
  private star: "open" | "close" | null = null;

  get inAside(): boolean { return this.mode !== "spoken"; }

  push(delta: string): AsidePiece[] {
    const out: AsidePiece[] = [];
    let kind: AsidePiece["kind"] = this.inAside ? "aside" : "spoken";
    let text = "";
    const flush = (): void => { if (text) out.push({ kind, text }); text = ""; };
    for (const ch of delta) {
      if (ch === "*" && this.mode !== "paren") {
        if (this.mode === "spoken") { flush(); kind = "aside"; this.mode = "star"; this.star = "open"; }
        else if (this.star !== "open") this.star = "close";
        text += ch;
        continue;
      }
      if (this.star === "close") { flush(); kind = "spoken"; this.mode = "spoken"; }
      this.star = null;
      if (this.mode !== "star" && OPEN_PAREN.has(ch)) {
        if (this.mode === "spoken") { flush(); kind = "aside"; this.mode = "paren"; }
        this.parens++;
      } else if (this.mode === "paren" && CLOSE_PAREN.has(ch)) {
        text += ch;
        if (--this.parens === 0) { flush(); kind = "spoken"; this.mode = "spoken"; }
        continue;
      }
      text += ch;
    }
    flush();
    return out;
  }
}

/** A whole text in spoken and aside pieces, neighbours of one kind merged. */
export function splitAsides(text: string): AsidePiece[] {
  const out: AsidePiece[] = [];
  for (const p of new AsideParser().push(text)) {
    const last = out.at(-1);
    if (last && last.kind === p.kind) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** Only the words meant to be heard, spaces tidied. */
export function spokenText(text: string): string {
  return splitAsides(text).filter((p) => p.kind === "spoken").map((p) => p.text).join("").replace(/\s+/g, " ").trim();
}

/** Words in an action that show on the face, in English, Russian and Chinese. */
const CUES: readonly [RegExp, Emotion][] = [
  [/smil|grin|laugh|giggl|beam|chuckl|wink|cheer|улыба|смеё|смее|хихик|笑|开心|高兴/iu, "happy"],
  [/sigh|frown|sob|cry|cries|tear|sniff|pout|вздых|плач|груст|叹气|哭|难过|伤心/iu, "sad"],
  [/glare|scowl|growl|snarl|clench|grit|huff|fum|сердит|хмур|злит|рыч|瞪|怒|生气|皱眉/iu, "angry"],
  [/gasp|startl|blink|wide-eyed|eyes widen|jump|удивл|ахн|вздрог|惊|吃惊|愣/iu, "surprised"],
  [/relax|lean(s)? back|yawn|stretch|sip|calm|shrug|расслаб|зева|потягив|放松|伸懒腰|耸肩/iu, "relaxed"],
];

/** The emotion an aside shows, if its words name one ("*smiles*" -> happy). */
export function emotionOfAside(aside: string): Emotion | null {
  for (const [re, emotion] of CUES) if (re.test(aside)) return emotion;
  return null;
}
