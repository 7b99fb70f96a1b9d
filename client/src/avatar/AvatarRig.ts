/**
 * One seated avatar and its drivers, updated once per frame in a fixed order:
 * pose + idle, gaze, emotion, lip-sync, blink, then vrm.update(delta). Drivers
 * write only through the expression manager, the look-at and normalized bones.
 */
import { Object3D, Vector3, Quaternion } from "three";
import type { VRM, VRMHumanBoneName } from "@pixiv/three-vrm";
import { VISEMES, type CharacterState, type Emotion, type Viseme } from "@parley/shared";
import { LipSyncDriver } from "./drivers/LipSyncDriver.js";
import { EmotionDriver } from "./drivers/EmotionDriver.js";
import { BlinkDriver } from "./drivers/BlinkDriver.js";
import { GazeDriver, gazeTargetId } from "./drivers/GazeDriver.js";
import { approach } from "./drivers/types.js";
import { IdleDriver } from "./drivers/IdleDriver.js";
import { SEATED_POSE } from "./seatedPose.js";
import type { MouthFrame } from "../audio/AudioEngine.js";
import { ExpressionOut } from "./ExpressionOut.js";
import { renderProfile } from "../scene/profile.js";

export interface RigInput {
  state: CharacterState;
  emotion: Emotion;
  roomLookAt: string;
  speaker: string;
  candidates: readonly string[];
  mouth: MouthFrame | null;
  /** world positions of everyone's eyes, by id */
  heads: ReadonlyMap<string, Vector3>;
  /**
   * A person's avatar: where that person looks (relative to facing the table from
   * the seat, rad; yaw to their left, pitch up). Their head follows it instead of
   * choosing whom to look at. Null for characters.
   */
  head: { yaw: number; pitch: number } | null;
}

/** a person's head follows their reported pose with this time constant, s (poses come at ≤ 10 Hz) */
const PERSON_HEAD_TAU = 0.08;
/** how far a seated person's head turns on the neck, rad */
const PERSON_MAX_YAW = 1.4;
const PERSON_MAX_PITCH = 0.8;

// module-scope temporaries: no allocation per frame
const _target = new Vector3();
const _head = new Vector3();
const _local = new Vector3();
const _q = new Quaternion();
/** the seated pose as a list, built once (Object.entries per frame would allocate) */
const SEATED_BONES = Object.entries(SEATED_POSE) as [VRMHumanBoneName, [number, number, number]][];

/** Appends `ms`, keeping the latest 300. */
function keepLatest(list: number[], ms: number): void {
  list.push(ms);
  if (list.length > 300) list.shift();
}

export class AvatarRig {
  readonly lip = new LipSyncDriver();
  readonly emotion = new EmotionDriver();
  readonly blink: BlinkDriver;
  readonly gaze: GazeDriver;
  readonly idle: IdleDriver;
  /** visemes applied this frame (after expression overrides) */
  readonly applied: Record<Viseme, number> = { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 };
  /** id of whom the avatar looks at now */
  lookingAt = "";
  /** where the eyes aim this frame, before saccades and glances (a character's gaze target's head), world m */
  readonly lookPoint = new Vector3();
  /** a person's head as shown now, rad (eased toward their reported pose) */
  readonly personHead = { yaw: 0, pitch: 0 };
  /** time the spring bones have not been stepped for, s */
  private springDue = 0;
  /**
   * Lip-sync lag, ms: for each new mouth shape on the audio clock, how long until
   * the applied weight reached half its target (negative: the mouth anticipated).
   */
  readonly lipOffsets: number[] = [];
  /** shapes that never reached half their target before the next one (or the end of the voice): the whole time each had, ms */
  readonly lipMisses: number[] = [];
  private lipTrack = { key: -1, utt: "", cueAtMs: 0, viseme: "aa" as Viseme, target: 0, open: false };
  state: CharacterState = "idle";
  private readonly lookTarget = new Object3D();
  private readonly out: ExpressionOut | null;

  constructor(readonly id: string, readonly vrm: VRM, seed: number) {
    this.blink = new BlinkDriver(seed * 13 + 1);
    this.gaze = new GazeDriver(seed * 31 + 7);
    this.idle = new IdleDriver(seed * 1.7);
    this.out = vrm.expressionManager ? new ExpressionOut(vrm.expressionManager) : null;
    if (vrm.lookAt) {
      vrm.lookAt.target = this.lookTarget;
      vrm.lookAt.autoUpdate = true;
    }
  }

  /** world position of the avatar's eyes */
  eyePosition(out: Vector3): Vector3 {
    const head = this.vrm.humanoid.getNormalizedBoneNode("head");
    if (!head) return out.set(0, 1.2, 0);
    head.getWorldPosition(out);
    out.y += 0.06;
    return out;
  }

  private setBone(name: VRMHumanBoneName, x: number, y: number, z: number): void {
    const node = this.vrm.humanoid.getNormalizedBoneNode(name);
    if (node) node.rotation.set(x, y, z);
  }

  /** A shape that was replaced (or the voice stopped) before reaching half its target: a miss, at the whole time it had. */
  private lipMiss(): void {
    this.lipTrack.open = false;
    keepLatest(this.lipMisses, performance.now() - this.lipTrack.cueAtMs);
  }

  private trackLipOffset(mouth: MouthFrame | null): void {
    const t = this.lipTrack;
    if (!mouth) { if (t.open) this.lipMiss(); return; }
    if (mouth.cueStart !== t.key || mouth.utteranceId !== t.utt) {
      if (t.open) this.lipMiss();
      t.key = mouth.cueStart;
      t.utt = mouth.utteranceId;
      let best: Viseme | null = null;
      for (const v of VISEMES) if ((mouth.current[v] ?? 0) >= 0.5 && (!best || (mouth.current[v] ?? 0) > (mouth.current[best] ?? 0))) best = v;
      t.open = best !== null;
      if (best) { t.viseme = best; t.target = (mouth.current[best] ?? 0) * this.emotion.mouthScale; t.cueAtMs = performance.now() - mouth.sinceCueS * 1000; }
    }
    if (t.open && this.lip.weights[t.viseme] >= 0.5 * t.target) {
      t.open = false;
      keepLatest(this.lipOffsets, performance.now() - t.cueAtMs);
    }
  }

  update(delta: number, input: RigInput): void {
    const speaking = input.mouth !== null;
    this.state = speaking ? "speaking" : input.state;

    // 1. pose and idle life
    this.idle.update(delta, this.state);
    for (const [bone, e] of SEATED_BONES) this.setBone(bone, e[0], e[1], e[2]);
    const o = this.idle.offsets;
    const spine = SEATED_POSE.spine!;
    this.setBone("spine", spine[0] + o.spinePitch, 0, o.spineRoll);
    this.setBone("chest", SEATED_POSE.chest![0] + o.chestPitch, 0, 0);

    // 2. gaze: a person's head follows their pose; a character picks whom to look at
    if (input.head) this.followHead(delta, input.head, o.headPitch, o.headRoll);
    else this.lookAround(delta, input);

    // 3. emotion: the cue on the audio clock while speaking, else the room's
    const em = input.mouth?.emotion;
    const out = this.out ?? undefined;
    this.emotion.update(delta, em ? em.emotion : input.emotion, em ? em.intensity : input.emotion === "neutral" ? 0 : 0.7, out);

    // 4. mouth, 5. blink
    this.lip.update(delta, input.mouth, this.emotion.mouthScale, out);
    if (!input.head) this.trackLipOffset(input.mouth);
    this.blink.update(delta, this.emotion.eyeClosure, out);
    out?.flush();

    this.advance(delta);
    const mouthMul = out?.mouthMultiplier() ?? 0;
    for (const v of VISEMES) this.applied[v] = out ? out.appliedWeight(v, mouthMul) : 0;
  }

  /** A character's gaze: whom to look at, then eyes and head toward them. */
  private lookAround(delta: number, input: RigInput): void {
    const { vrm } = this;
    const o = this.idle.offsets;
    const idleChoice = this.gaze.updateIdle(delta, input.candidates);
    this.lookingAt = gazeTargetId({ me: this.id, speaker: input.speaker, roomLookAt: input.roomLookAt, candidates: input.candidates }, idleChoice);
    const targetPos = input.heads.get(this.lookingAt);
    this.eyePosition(_head);
    if (targetPos) _target.copy(targetPos); else _target.set(0, _head.y - 0.25, 0);
    this.lookPoint.copy(_target);
    // the target in the avatar's own frame (it faces +z)
    _local.copy(_target).sub(_head).applyQuaternion(vrm.scene.getWorldQuaternion(_q).invert());
    const yaw = Math.atan2(_local.x, _local.z);
    const pitch = Math.atan2(_local.y, Math.hypot(_local.x, _local.z)) + o.gazeUp;
    this.gaze.update(delta, yaw, pitch);
    this.setBone("neck", SEATED_POSE.neck![0] - this.gaze.headPitch * 0.4, this.gaze.headYaw * 0.4, 0);
    this.setBone("head", -this.gaze.headPitch * 0.6 + o.headPitch, this.gaze.headYaw * 0.6, o.headRoll);
    this.lookTarget.position.copy(_target);
    this.lookTarget.position.x += this.gaze.offset.x;
    this.lookTarget.position.y += this.gaze.offset.y + Math.tan(o.gazeUp) * _local.length();
    this.lookTarget.updateMatrixWorld();
  }

  /** A person's head turns as they look (neck 40%, head 60%), the eyes straight ahead. */
  private followHead(delta: number, head: { yaw: number; pitch: number }, idlePitch: number, idleRoll: number): void {
    const h = this.personHead;
    h.yaw = approach(h.yaw, Math.max(-PERSON_MAX_YAW, Math.min(PERSON_MAX_YAW, head.yaw)), PERSON_HEAD_TAU, delta);
    h.pitch = approach(h.pitch, Math.max(-PERSON_MAX_PITCH, Math.min(PERSON_MAX_PITCH, head.pitch)), PERSON_HEAD_TAU, delta);
    this.lookingAt = "";
    this.setBone("neck", SEATED_POSE.neck![0] - h.pitch * 0.4, h.yaw * 0.4, 0);
    this.setBone("head", -h.pitch * 0.6 + idlePitch, h.yaw * 0.6, idleRoll);
    // a point 2 m ahead along the face, in the avatar's frame (it faces +z), then in the world
    const c = Math.cos(h.pitch);
    _local.set(Math.sin(h.yaw) * c, Math.sin(h.pitch), Math.cos(h.yaw) * c).multiplyScalar(2);
    this.eyePosition(_head);
    this.lookTarget.position.copy(_local.applyQuaternion(this.vrm.scene.getWorldQuaternion(_q))).add(_head);
    this.lookTarget.updateMatrixWorld();
  }

  /** vrm.update, with the spring bones (hair, clothes) stepped at their own rate when the profile asks (headsets). */
  private advance(delta: number): void {
    const vrm = this.vrm;
    const step = renderProfile.springStepS;
    if (step <= 0) { vrm.update(delta); return; }
    // what vrm.update does, in its order, with the springs on their own clock
    vrm.humanoid.update();
    vrm.lookAt?.update(delta);
    vrm.expressionManager?.update();
    vrm.nodeConstraintManager?.update();
    this.springDue += delta;
    if (this.springDue >= step) { vrm.springBoneManager?.update(this.springDue); this.springDue = 0; }
    for (const m of vrm.materials ?? []) (m as { update?: (d: number) => void }).update?.(delta);
  }
}
