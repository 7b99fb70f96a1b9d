/**
 * LLM text deltas to speakable segments: emotion tags are taken out (and attached
 * to the segment they start), actions and thoughts (`*smiles*`, `(sighs)`) stay
 * in the text shown but never reach the voice (an action that names a feeling
 * sets the face for the words after it), the rest is cut by the segmenter
 * (first clause early, then sentences). The text as it is shown, and the
 * whole reply once written, are reported to the turn.
 */
import { AsideParser, emotionOfAside, type Emotion } from "@parley/shared";
import { EmotionTagParser } from "./emotionTags.js";
import { Segmenter, type SegmenterOptions } from "./segmenter.js";
import type { TurnReports } from "../turn/TurnEvent.js";

export interface Segment { text: string; emotion: { emotion: Emotion; intensity: number } | null }

/** how strongly an action's feeling shows on the face (a tag without a number shows 0.8) */
const ASIDE_INTENSITY = 0.7;

export async function* segmentsOf(text: AsyncIterable<string>, turn: TurnReports, segmenter: Partial<SegmenterOptions> = {}): AsyncIterable<Segment> {
  const tags = new EmotionTagParser();
  const asides = new AsideParser();
  const seg = new Segmenter(segmenter);
  let emotion: Segment["emotion"] = null;
  let all = "";
  /** the action being read, until it closes */
  let aside = "";
  const emit = function* (texts: string[]): Generator<Segment> {
    for (const t of texts) { yield { text: t, emotion }; emotion = null; }
  };
  // an emotion change starts a new segment, so the face changes where the words do
  const feel = function* (e: NonNullable<Segment["emotion"]>): Generator<Segment> {
    yield* emit(seg.end());
    emotion = e;
  };
  const onText = function* (text: string): Generator<Segment> {
    for (const p of asides.push(text)) {
      turn.report({ kind: "text", delta: p.text });
      all += p.text;
      if (p.kind === "aside") { aside += p.text; continue; }
      const felt = aside ? emotionOfAside(aside) : null;
      aside = "";
      if (felt) yield* feel({ emotion: felt, intensity: ASIDE_INTENSITY });
      yield* emit(seg.push(p.text));
    }
  };
  const onPiece = function* (pieces: ReturnType<EmotionTagParser["push"]>): Generator<Segment> {
    for (const piece of pieces) {
      if (piece.kind === "emotion") yield* feel({ emotion: piece.emotion, intensity: piece.intensity });
      else yield* onText(piece.text);
    }
  };
  for await (const delta of text) yield* onPiece(tags.push(delta));
  yield* onPiece(tags.end());
  turn.report({ kind: "written", text: all.replace(/\s+/g, " ").trim() });
  yield* emit(seg.end());
}
