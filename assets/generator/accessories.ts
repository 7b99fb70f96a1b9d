// Accessories on the body mesh: hair clip, headband, earrings, scarf, beard.
// (Glasses live in the face mesh because they share the ink material.)
import * as THREE from "three";
import { HeadShape } from "./head.js";
import { shell, toWorld, type HairCtx } from "./hairKit.js";
import { capOffset, defaultCap } from "./hair.js";
import { rigid } from "./meshBuilder.js";
import { ellipsoid, tube } from "./shapes.js";
import { clamp, v3, type V3 } from "./util.js";
import { Torso, torsoRows } from "./torso.js";
import { mixSkin, torsoSkin } from "./weights.js";

const D = Math.PI / 180;

function hairclip(ctx: HairCtx): void {
  const hb = ctx.rig.idx("head");
  const s = HeadShape.dir(62 * D, -44 * D);
  const n = ctx.head.normal(s);
  // Sits on the fringe: cap volume + bang thickness (~1.5 cm above the skin here).
  const c = ctx.head.local(s).addScaledVector(n, 0.021);
  const down = HeadShape.dir(74 * D, -44 * D).sub(s).normalize();
  const across = n.clone().cross(down).normalize();
  // Two crossed bars: an "X" clip reads well even at small sizes.
  for (const k of [-1, 1]) {
    const d = down.clone().multiplyScalar(Math.cos(0.7)).addScaledVector(across, k * Math.sin(0.7));
    tube(ctx.mb, {
      slot: "accent",
      points: [toWorld(ctx, c.clone().addScaledVector(d, -0.014)), toWorld(ctx, c.clone().addScaledVector(d, 0.014).addScaledVector(n, k * 0.001))],
      radius: () => [0.0045, 0.0022],
      up: n,
      around: 6,
      along: 2,
      capStart: 0.8,
      capEnd: 0.8,
      capRows: 2,
      skin: () => rigid(hb),
    });
  }
}

function headband(ctx: HairCtx): void {
  const hb = ctx.rig.idx("head");
  const tilt = new THREE.Quaternion().setFromAxisAngle(v3(1, 0, 0), 22 * D);
  const pts: V3[] = [];
  const outs: V3[] = [];
  for (let i = 0; i <= 20; i++) {
    const psi = (-100 + (200 * i) / 20) * D;
    const d = v3(Math.sin(psi), Math.cos(psi), 0).applyQuaternion(tilt).normalize();
    const n = ctx.head.normal(d);
    // Sit on top of the hair volume (cap thickness + bang/lock clearance).
    const th = Math.acos(Math.max(-1, Math.min(1, d.y))) / D;
    const ph = Math.atan2(d.x, d.z) / D;
    const off = capOffset(defaultCap(ctx.desc.hair.style), th, ph) + 0.009;
    pts.push(toWorld(ctx, ctx.head.local(d).addScaledVector(n, off)));
    outs.push(n);
  }
  tube(ctx.mb, {
    slot: "accent",
    points: pts,
    radius: () => [0.0075, 0.003],
    up: (t) => outs[Math.round(t * 20)] ?? v3(0, 1, 0),
    around: 6,
    along: 14,
    capStart: 0.6,
    capEnd: 0.6,
    capRows: 2,
    skin: () => rigid(hb),
  });
  // Little bow on the left side.
  const bs = v3(Math.sin(-62 * D), Math.cos(-62 * D), 0).applyQuaternion(tilt).normalize();
  const bn = ctx.head.normal(bs);
  const bc = ctx.head.local(bs).addScaledVector(bn, 0.022);
  for (const k of [-1, 1]) {
    const q = new THREE.Quaternion().setFromUnitVectors(v3(0, 0, 1), bn).multiply(new THREE.Quaternion().setFromAxisAngle(v3(0, 0, 1), k * 0.5));
    ellipsoid(ctx.mb, "accent", toWorld(ctx, bc.clone().add(v3(0, 0, 0)).addScaledVector(new THREE.Vector3(1, 0, 0).applyQuaternion(q), k * 0.011)), v3(0.012, 0.008, 0.004), () => rigid(hb), { lat: 5, lon: 8, rotate: q });
  }
  ellipsoid(ctx.mb, "accent", toWorld(ctx, bc.clone().addScaledVector(bn, 0.002)), v3(0.005, 0.005, 0.004), () => rigid(hb), { lat: 4, lon: 6 });
}

function earrings(ctx: HairCtx): void {
  const hb = ctx.rig.idx("head");
  for (const side of [1, -1]) {
    const s = HeadShape.dir(116 * D, side * 84 * D);
    const p = ctx.head.local(s).addScaledVector(ctx.head.normal(s), 0.004);
    ellipsoid(ctx.mb, "accent", toWorld(ctx, p.clone().add(v3(0, -0.006, 0))), v3(0.0022, 0.006, 0.0022), () => rigid(hb), { lat: 4, lon: 6 });
    ellipsoid(ctx.mb, "accent", toWorld(ctx, p.clone().add(v3(0, -0.016, 0))), v3(0.0065, 0.0065, 0.0065), () => rigid(hb), { lat: 5, lon: 8 });
  }
}

function scarf(ctx: HairCtx): void {
  const { y, r, H } = ctx.dims;
  const sk = torsoSkin(ctx.dims, ctx.rig);
  // Loosest garment ease is ~1.4 cm, so the scarf rides on that envelope.
  const outer = new Torso(torsoRows(ctx.dims), ctx.dims, 0.016);
  const yy = y.shoulder + H * 0.01;
  const pts: V3[] = [];
  for (let i = 0; i <= 24; i++) {
    const a = (i / 24) * Math.PI * 2;
    pts.push(v3(Math.cos(a) * r.neck * 2.0, yy + 0.006 * Math.sin(a), -0.012 + Math.sin(a) * r.neck * 1.95));
  }
  const neck = ctx.rig.idx("neck");
  tube(ctx.mb, { slot: "accent", points: pts, radius: () => [0.02, 0.024], up: v3(0, 1, 0), around: 8, along: 20, closed: true, skin: (_t, p) => mixSkin(sk(p), [[neck, 1]], 0.35) });
  // Hanging end over the chest (avatar's left), lying on the clothes.
  const tail: V3[] = [0, 0.35, 0.7, 1].map((f) => outer.point(yy - H * 0.012 - f * H * 0.1, Math.PI / 2 - 0.32 - 0.08 * f, 0.008));
  tube(ctx.mb, {
    slot: "accent",
    points: tail,
    radius: (t) => [0.021 + 0.004 * t, 0.006],
    up: v3(0, 0, 1),
    around: 8,
    along: 6,
    capStart: 0.3,
    capEnd: 0.15,
    capRows: 2,
    skin: (_t, p) => sk(p),
  });
}

function beard(ctx: HairCtx, thick: number, chinOnly = false): void {
  const hb = ctx.rig.idx("head");
  // With a streak colour (greying hair) the beard is grey too.
  const slot = ctx.desc.hair.streak ? "hairStreak" : "hair";
  const edge = (phiDeg: number): number => {
    const c = Math.cos(clamp(phiDeg, -90, 90) * D);
    return chinOnly ? 144 + 4 * (1 - c) : 112 + 34 * c * c;
  };
  const span = chinOnly ? 42 : 92; // half angle (deg) around the face
  shell(
    ctx,
    slot,
    20,
    6,
    false,
    (u, w) => {
      const phi = -span + 2 * span * u;
      const th = (chinOnly ? 176 : 166) + (edge(phi) - (chinOnly ? 176 : 166)) * w;
      const s = HeadShape.dir(th * D, phi * D);
      return { p: ctx.head.local(s), n: ctx.head.normal(s) };
    },
    (u) => thick * (0.6 + 0.4 * Math.cos((u * 2 - 1) * 90 * D)) * Math.sin(Math.PI * u) ** 0.35,
    0.003,
    () => rigid(hb),
    2,
  );
}

export function buildAccessories(ctx: HairCtx): void {
  const acc = ctx.desc.accessories;
  if (acc.includes("hairclip")) hairclip(ctx);
  if (acc.includes("headband")) headband(ctx);
  if (acc.includes("earrings")) earrings(ctx);
  if (acc.includes("scarf")) scarf(ctx);
  if (acc.includes("beard")) beard(ctx, ctx.desc.build === "sturdy" ? 0.0065 : 0.0045);
  else if (acc.includes("goatee")) beard(ctx, 0.0055, true);
  else if (acc.includes("stubble")) beard(ctx, 0.0015);
}
