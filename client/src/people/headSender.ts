/**
 * Sends where I look to the room: a slow fact, so at most every 100 ms and only
 * when it moved by more than a small angle. Called every frame with the current
 * pose (from the desktop camera or the headset); the last pose of a movement
 * goes out within 100 ms of it.
 */
export const HEAD_SEND = {
  /** at most one update per this long, ms */
  everyMs: 100,
  /** smaller changes are not worth a message, rad (~0.6°) */
  minChangeRad: 0.01,
} as const;

export class HeadSender {
  private sent = { yaw: 0, pitch: 0, at: -Infinity };

  /** `send` returns false when it could not send (not in the room yet): the pose is offered again */
  constructor(private readonly send: (yaw: number, pitch: number) => boolean) {}

  offer(yaw: number, pitch: number, nowMs: number): void {
    const s = this.sent;
    if (nowMs - s.at < HEAD_SEND.everyMs) return;
    if (Math.abs(yaw - s.yaw) < HEAD_SEND.minChangeRad && Math.abs(pitch - s.pitch) < HEAD_SEND.minChangeRad) return;
    if (!this.send(yaw, pitch)) return;
    s.yaw = yaw;
    s.pitch = pitch;
    s.at = nowMs;
  }
}
