/**
 * Streaming parser for in-band tags in LLM output: `[happy]`, `[sad:0.4]`.
 * Emotion tags become events; other bracketed stage directions (`[laughs]`) are
 * dropped from the spoken text; anything else passes through unchanged, even when
 * a tag arrives split across several tokens.
 */
import { isEmotion, type Emotion } from "@parley/shared";

export type TaggedPiece =
  | { kind: "text"; text: string }
  | { kind: "emotion"; emotion: Emotion; intensity: number };

const MAX_TAG_CHARS = 24;
const TAG = /^\[\s*([a-zA-Z]+)(?:\s*[:=]\s*(\d*\.?\d+))?\s*\]$/;
const DEFAULT_INTENSITY = 0.8;

export class EmotionTagParser {
  private pending = "";

  /** Feeds a text delta; returns what can be emitted now. */
  push(delta: string): TaggedPiece[] {
    const out: TaggedPiece[] = [];
    let text = "";
    for (const ch of delta) {
      if (this.pending) {
        this.pending += ch;
        if (ch === "]") {
          const piece = parseTag(this.pending);
          this.pending = "";
          if (piece === null) continue; // a stage direction: dropped
          if (piece.kind === "text") { text += piece.text; continue; }
          if (text) { out.push({ kind: "text", text }); text = ""; }
          out.push(piece);
        } else if (this.pending.length > MAX_TAG_CHARS || ch === "\n" || ch === "[") {
          // not a tag after all; a new "[" restarts the candidate
          const restart = ch === "[";
          text += restart ? this.pending.slice(0, -1) : this.pending;
          this.pending = restart ? "[" : "";
        }
      } else if (ch === "[") {
        this.pending = "[";
      } else {
        text += ch;
      }
    }
    if (text) out.push({ kind: "text", text });
    return out;
  }

  /** Flushes an unterminated candidate tag as text. */
  end(): TaggedPiece[] {
    const rest = this.pending;
    this.pending = "";
    return rest ? [{ kind: "text", text: rest }] : [];
  }
}

function parseTag(raw: string): TaggedPiece | null {
  const m = TAG.exec(raw);
  if (!m) return { kind: "text", text: raw };
  const name = m[1]!.toLowerCase();
  if (isEmotion(name)) {
    const intensity = m[2] === undefined ? DEFAULT_INTENSITY : Math.min(1, Math.max(0, Number(m[2])));
    return { kind: "emotion", emotion: name, intensity };
  }
  return null;
}

/** Parses a whole string: the spoken text and the emotions in order. */
export function parseEmotionTags(s: string): { text: string; emotions: { emotion: Emotion; intensity: number; at: number }[] } {
  const p = new EmotionTagParser();
  let text = "";
  const emotions: { emotion: Emotion; intensity: number; at: number }[] = [];
  for (const piece of [...p.push(s), ...p.end()]) {
    if (piece.kind === "text") text += piece.text;
    else emotions.push({ emotion: piece.emotion, intensity: piece.intensity, at: text.length });
  }
  return { text: text.replace(/[ \t]{2,}/g, " ").trim(), emotions };
}
