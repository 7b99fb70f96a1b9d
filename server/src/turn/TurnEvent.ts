/**
 * What a turn reports as it is carried out. The stages that carry it (the
 * segmenter, the voice, the sender) report to the turn's handle, the one place
 * that reports back; the director and the transcript listen there. Nothing is
 * passed down as a callback.
 */
import type { Emotion } from "@parley/shared";

export type TurnEvent =
  /** spoken text as it is generated: tags removed, actions and thoughts kept (the transcript shows them) */
  | { kind: "text"; delta: string }
  /** the whole reply is written (the LLM finished) */
  | { kind: "written"; text: string }
  /** the turn was authorized and utt:start went out: its line may be shown */
  | { kind: "started" }
  /** a new segment is about to be sent: a checkpoint where others may cut in */
  | { kind: "segment"; index: number; text: string; emotion: Emotion | null; heard: string }
  /** the face changes where the words do */
  | { kind: "emotion"; emotion: Emotion; intensity: number }
  /** the first chunk left: the character is audibly speaking */
  | { kind: "audible" };

export type TurnEventKind = TurnEvent["kind"];

/** Where a stage reports (a turn's handle). */
export interface TurnReports {
  report(event: TurnEvent): void;
}
