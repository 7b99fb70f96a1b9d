import { describe, it, expect } from "vitest";
import { Group, Object3D, Vector3 } from "three";
import { seatPose } from "../scene/layout.js";
import { anchoredOrigin, anchorYaw, eyePoint, facingTable, seatedOrigin, toRoom, wrapAngle } from "./origin.js";

/** The head's room position and view yaw through a real three.js origin group (what the session does). */
function throughOrigin(o: { x: number; y: number; z: number; yaw: number }, head: { x: number; y: number; z: number; yaw: number }) {
  const origin = new Group();
  origin.position.set(o.x, o.y, o.z);
  origin.rotation.y = o.yaw;
  const cam = new Object3D();
  cam.position.set(head.x, head.y, head.z);
  cam.rotation.y = head.yaw;
  origin.add(cam);
  origin.updateMatrixWorld(true);
  const p = cam.getWorldPosition(new Vector3());
  const f = cam.getWorldDirection(new Vector3()).negate(); // Object3D's getWorldDirection is +z; a view looks along -z
  return { p, yaw: Math.atan2(-f.x, -f.z) };
}

describe("the session's origin", () => {
  it("puts the head over its own place's eye point, facing the table, wherever the person stood", () => {
    for (const seat of [0, 2, 5, 7]) {
      const pose = seatPose(seat);
      for (const head of [{ x: 0, y: 1.2, z: 0, yaw: 0 }, { x: 0.7, y: 1.1, z: -1.3, yaw: 2.1 }, { x: -2, y: 1.6, z: 0.4, yaw: -0.8 }]) {
        const o = seatedOrigin(pose, head);
        const seen = throughOrigin(o, head);
        const eye = eyePoint(pose);
        expect(seen.p.x).toBeCloseTo(eye.x, 6);
        expect(seen.p.z).toBeCloseTo(eye.z, 6);
        // height is the person's own: the floor stays the floor
        expect(seen.p.y).toBeCloseTo(head.y, 6);
        expect(wrapAngle(seen.yaw - facingTable(pose))).toBeCloseTo(0, 6);
        // facing the table: the centre is straight ahead
        expect(wrapAngle(Math.atan2(-(0 - seen.p.x), -(0 - seen.p.z)) - seen.yaw)).toBeCloseTo(0, 6);
      }
    }
  });

  it("puts an anchored surface point at the table and my place between me and the table", () => {
    const pose = seatPose(0);
    const anchor = { x: 1.2, y: 0.74, z: -0.6 };
    const head = { x: 1.9, y: 1.3, z: 0.5 };
    const target = { x: 0, y: 0.74, z: 0 };
    const o = anchoredOrigin(anchor, target, anchorYaw(anchor, head, pose));
    const a = toRoom(o, anchor);
    expect(a.x).toBeCloseTo(0, 6);
    expect(a.y).toBeCloseTo(0.74, 6);
    expect(a.z).toBeCloseTo(0, 6);
    const h = toRoom(o, head);
    expect(wrapAngle(Math.atan2(h.x, h.z) - Math.atan2(pose.x, pose.z))).toBeCloseTo(0, 6);
    // the same map as three.js's group would apply
    const seen = throughOrigin(o, { ...head, yaw: 0 });
    expect(seen.p.distanceTo(new Vector3(h.x, h.y, h.z))).toBeLessThan(1e-6);
  });
});
