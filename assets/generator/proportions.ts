// Body proportions: turns frame/build/height into the handful of numbers every
// other module needs. Stylised (head ~1/5.7 of height) rather than realistic.
import type { AvatarDescription } from "./description.js";
import { clamp } from "./util.js";

export interface Dims {
  /** Skull-top height in metres (hair adds ~2-4 cm on top). */
  H: number;
  fem: number; // 1 for feminine, 0 for masculine; used to blend proportions
  /** Width multiplier for torso/limbs from build (slim < 1 < sturdy). */
  bw: number;
  head: {
    height: number; // chin to skull top
    halfWidth: number; // x semi-axis
    top: number; // centre to skull top (y semi-axis above centre)
    bottom: number; // centre to chin
    front: number; // z semi-axis toward the face
    back: number; // z semi-axis toward the back of the skull
    center: [number, number, number]; // world position of the head ellipsoid centre
  };
  y: {
    chin: number;
    shoulder: number; // top of shoulders
    upperChest: number;
    chest: number;
    spine: number;
    hips: number;
    upperLeg: number;
    knee: number;
    ankle: number;
    waist: number;
  };
  x: {
    shoulderBone: number;
    upperArm: number;
    elbow: number;
    wrist: number;
    leg: number;
  };
  torso: {
    shoulderHalf: number; // half width across the shoulders
    chestHalf: number;
    waistHalf: number;
    hipHalf: number;
    depth: number; // multiplier of width for depth (front-back)
    bust: number; // forward bulge of the chest (m)
  };
  r: {
    neck: number;
    upperArm: number;
    elbow: number;
    wrist: number;
    thigh: number;
    knee: number;
    calf: number;
    ankle: number;
  };
  hand: { palmLen: number; palmHalfWidth: number; thick: number; finger: number; fingerR: number };
  foot: { len: number; halfWidth: number; heelZ: number };
}

export function computeDims(d: AvatarDescription): Dims {
  const fem = d.frame === "feminine" ? 1 : 0;
  const base = fem ? 1.6 : 1.7;
  const H = clamp(base * d.height, 1.5, 1.75);
  const bw = d.build === "slim" ? 0.9 : d.build === "sturdy" ? 1.14 : 1.0;
  // Taller people get a slightly smaller head ratio so they read as older/taller.
  const headRatio = 5.55 + (H - 1.5) * 1.6; // 5.55 at 1.5 m .. 5.95 at 1.75 m
  const hh = H / headRatio;
  const chin = H - hh;
  const headHalfW = hh * (fem ? 0.405 : 0.415) * (0.97 + 0.03 * bw);
  const bottom = hh * 0.46;
  const head = {
    height: hh,
    halfWidth: headHalfW,
    top: hh * 0.54,
    bottom,
    front: hh * 0.41,
    back: hh * 0.46,
    center: [0, chin + bottom, 0.004] as [number, number, number],
  };
  const shoulder = chin - H * 0.039;
  const hips = H * 0.53;
  const y = {
    chin,
    shoulder,
    upperChest: shoulder - H * 0.06,
    chest: shoulder - H * 0.125,
    spine: hips + H * 0.055,
    hips,
    waist: hips + H * 0.085,
    upperLeg: H * 0.5,
    knee: H * 0.275,
    ankle: H * 0.048,
  };
  const shoulderHalf = H * (fem ? 0.1 : 0.118) * (0.94 + 0.06 * bw);
  const upperArmX = shoulderHalf * 0.78;
  const x = {
    shoulderBone: H * 0.018,
    upperArm: upperArmX,
    elbow: upperArmX + H * 0.158,
    wrist: upperArmX + H * 0.158 + H * 0.142,
    leg: H * (fem ? 0.05 : 0.052) * (0.95 + 0.05 * bw),
  };
  const torso = {
    shoulderHalf,
    chestHalf: H * (fem ? 0.083 : 0.094) * bw,
    waistHalf: H * (fem ? 0.064 : 0.08) * bw * (d.build === "sturdy" ? 1.05 : 1),
    hipHalf: H * (fem ? 0.096 : 0.09) * bw,
    depth: fem ? 0.7 : 0.66,
    bust: fem ? H * 0.012 : 0,
  };
  const r = {
    neck: H * (fem ? 0.0195 : 0.022) * (0.9 + 0.1 * bw),
    upperArm: H * (fem ? 0.02 : 0.024) * bw,
    elbow: H * (fem ? 0.0145 : 0.0175) * bw,
    wrist: H * (fem ? 0.0105 : 0.0125) * (0.9 + 0.1 * bw),
    thigh: H * (fem ? 0.038 : 0.036) * bw,
    knee: H * (fem ? 0.023 : 0.024) * bw,
    calf: H * (fem ? 0.027 : 0.027) * bw,
    ankle: H * 0.0135 * (0.9 + 0.1 * bw),
  };
  const hand = {
    palmLen: H * 0.05,
    palmHalfWidth: H * (fem ? 0.0185 : 0.021),
    thick: H * 0.0085,
    finger: H * 0.04,
    fingerR: H * (fem ? 0.0042 : 0.0049),
  };
  const foot = { len: H * 0.135, halfWidth: H * 0.025, heelZ: -H * 0.028 };
  return { H, fem, bw, head, y, x, torso, r, hand, foot };
}
