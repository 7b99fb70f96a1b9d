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
import { IdleDriver } from "./drivers/IdleDriver.js";
import { SEATED_POSE } from "./seatedPose.js";
import type { MouthFrame } from "../audio/AudioEngine.js";
import { ExpressionOut } from "./ExpressionOut.js";

export interface RigInput {
  state: CharacterState;
  emotion: Emotion;
  roomLookAt: string;
  speaker: string;
  candidates: readonly string[];
  mouth: MouthFrame | null;
  /** world positions of everyone's eyes, by id */
  heads: ReadonlyMap<string, Vector3>;
}

// module-scope temporaries: no allocation per frame
const _target = new Vector3();
const _head = new Vector3();
const _local = new Vector3();
const _q = new Quaternion();
/** the seated pose as a list, built once (Object.entries per frame would allocate) */
const SEATED_BONES = Object.entries(SEATED_POSE) as [VRMHumanBoneName, [number, number, number]][];

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
  /**
   * Lip-sync lag, ms: for each new mouth shape on the audio clock, how long until
   * the applied weight reached half its target (negative: the mouth anticipated);
   * a shape that never got there before the next one (or the end of the voice)
   * counts with the whole time it had.
   */
  readonly lipOffsets: number[] = [];
  /** shapes that never reached half their target (counted in lipOffsets too) */
  lipMisses = 0;
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
    this.lipMisses++;
    this.pushLipOffset(performance.now() - this.lipTrack.cueAtMs);
  }

  private pushLipOffset(ms: number): void {
    this.lipOffsets.push(ms);
    if (this.lipOffsets.length > 300) this.lipOffsets.shift();
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
      this.pushLipOffset(performance.now() - t.cueAtMs);
    }
  }

  update(delta: number, input: RigInput): void {
    const { vrm } = this;
    const speaking = input.mouth !== null;
    this.state = speaking ? "speaking" : input.state;

    // 1. pose and idle life
    this.idle.update(delta, this.state);
    for (const [bone, e] of SEATED_BONES) this.setBone(bone, e[0], e[1], e[2]);
    const o = this.idle.offsets;
    const spine = SEATED_POSE.spine!;
    this.setBone("spine", spine[0] + o.spinePitch, 0, o.spineRoll);
    this.setBone("chest", SEATED_POSE.chest![0] + o.chestPitch, 0, 0);

    // 2. gaze: whom to look at, then eyes and head toward them
    const idleChoice = this.gaze.updateIdle(delta, input.candidates);
    this.lookingAt = gazeTargetId({ me: this.id, speaker: input.speaker, roomLookAt: input.roomLookAt, candidates: input.candidates }, idleChoice);
    const targetPos = input.heads.get(this.lookingAt);
    this.eyePosition(_head);
    if (targetPos) _target.copy(targetPos); else _target.set(0, _head.y - 0.25, 0);
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

    // 3. emotion: the cue on the audio clock while speaking, else the room's
    const em = input.mouth?.emotion;
    const out = this.out ?? undefined;
    this.emotion.update(delta, em ? em.emotion : input.emotion, em ? em.intensity : input.emotion === "neutral" ? 0 : 0.7, out);

    // 4. mouth, 5. blink
    this.lip.update(delta, input.mouth, this.emotion.mouthScale, out);
    this.trackLipOffset(input.mouth);
    this.blink.update(delta, this.emotion.eyeClosure, out);
    out?.flush();

    vrm.update(delta);
    const mouthMul = out?.mouthMultiplier() ?? 0;
    for (const v of VISEMES) this.applied[v] = out ? out.appliedWeight(v, mouthMul) : 0;
  }
}
