/**
 * Other people's mouth shapes as their frames arrive (~16 Hz each), by seat, read
 * by the frame loop for their avatars. A mouth with no fresh frame closes: frames
 * stop when a person stops talking, after one closing frame, and a lost closing
 * frame must not leave a mouth hanging open.
 */
import { decodeVisemes, RELAYED_VISEME_FRAME_BYTES, type Viseme } from "@parley/shared";
import type { MouthFrame } from "../audio/AudioEngine.js";

/** a frame older than this no longer holds the mouth, ms (frames come every ~60 ms) */
const STALE_MS = 250;

interface Mouth { weights: Record<Viseme, number>; at: number }

export class PeopleMouths {
  private readonly bySeat = new Map<number, Mouth>();
  /** one frame object handed to the rigs, refilled per read (no allocation per frame) */
  private readonly frame: MouthFrame = { current: {}, next: null, nextInS: 0, emotion: null, utteranceId: "", cueStart: 0, sinceCueS: 0 };

  /** A relayed frame: the speaker's seat, then one weight per viseme. */
  onFrame(bytes: Uint8Array, nowMs: number): void {
    if (bytes.byteLength !== RELAYED_VISEME_FRAME_BYTES) return;
    const seat = bytes[0]!;
    let m = this.bySeat.get(seat);
    if (!m) this.bySeat.set(seat, (m = { weights: { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 }, at: 0 }));
    decodeVisemes(bytes, m.weights, 1);
    m.at = nowMs;
  }

  /** The mouth of whoever sits at `seat` now, or null (closed). Read it, don't keep it. */
  mouthFor(seat: number, nowMs: number): MouthFrame | null {
    const m = this.bySeat.get(seat);
    if (!m || nowMs - m.at > STALE_MS) return null;
    this.frame.current = m.weights;
    return this.frame;
  }
}

export const peopleMouths = new PeopleMouths();
