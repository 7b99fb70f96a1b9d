/**
 * LLM text deltas to speakable segments: emotion tags are taken out (and attached
 * to the segment they start), the rest is cut by the segmenter (first clause
 * early, then sentences).
 */
import type { Emotion } from "@parley/shared";
import { EmotionTagParser } from "./emotionTags.js";
import { Segmenter, type SegmenterOptions } from "./segmenter.js";

export interface Segment { text: string; emotion: { emotion: Emotion; intensity: number } | null }

export interface SegmentCallbacks {
  /** spoken text as it is generated (tags removed) */
  onText?: (delta: string) => void;
  /** the LLM finished: the whole text of the reply */
  onTextComplete?: (text: string) => void;
}

export async function* segmentsOf(text: AsyncIterable<string>, cb: SegmentCallbacks, segmenter: Partial<SegmenterOptions> = {}): AsyncIterable<Segment> {
  const tags = new EmotionTagParser();
  const seg = new Segmenter(segmenter);
  let emotion: Segment["emotion"] = null;
  let all = "";
  const emit = function* (texts: string[]): Generator<Segment> {
    for (const t of texts) { yield { text: t, emotion }; emotion = null; }
  };
  const onPiece = function* (pieces: ReturnType<EmotionTagParser["push"]>): Generator<Segment> {
    for (const piece of pieces) {
      if (piece.kind === "emotion") {
        // an emotion change starts a new segment, so the face changes where the words do
        yield* emit(seg.end());
        emotion = { emotion: piece.emotion, intensity: piece.intensity };
        continue;
      }
      cb.onText?.(piece.text);
      all += piece.text;
      yield* emit(seg.push(piece.text));
    }
  };
  for await (const delta of text) yield* onPiece(tags.push(delta));
  yield* onPiece(tags.end());
  cb.onTextComplete?.(all.replace(/\s+/g, " ").trim());
  yield* emit(seg.end());
}
