// Upper garments: torso shell, sleeves and the details that make each style read
// (hood, collars, V-neck panels, buttons, tie, lapels).
import * as THREE from "three";
import { armPath, armRadius, buildArmSkin, limbStations, subPath } from "./body.js";
import type { AvatarDescription } from "./description.js";
import type { Slot } from "./materials.js";
import type { MeshBuilder } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig, Side } from "./skeleton.js";
import { ellipsoid, tube } from "./shapes.js";
import { Torso, torsoRows } from "./torso.js";
import { v3, type V3 } from "./util.js";
import { limbSkin, mixSkin, torsoSkin } from "./weights.js";

interface TopCtx {
  mb: MeshBuilder;
  dims: Dims;
  rig: Rig;
  desc: AvatarDescription;
}

/** Sleeve from inside the torso to global arm param tEnd; `puff` adds a bulge (m). */
function sleeve(c: TopCtx, side: Side, slot: Slot, tEnd: number, ease: number, opts: { puff?: number; cuff?: boolean; flare?: number }): void {
  const path = armPath(c.dims, c.rig, side);
  const rad = armRadius(c.dims, path);
  const sk = limbSkin(path, 0.06);
  const long = tEnd > 0.9;
  const [tUp, tEl] = path.jointT as [number, number];
  tube(c.mb, {
    slot,
    points: subPath(path, 0, tEnd),
    radius: (t) => {
      const g = t * tEnd;
      const [a, b] = rad(g);
      // Long sleeves stay loose past the elbow, then gather at the cuff.
      const loose = long ? Math.max(0, Math.min(1, (g - 0.3) / 0.4)) * 0.006 : 0;
      const cuff = opts.cuff && t > 0.93 ? -0.003 : 0;
      const puff = (opts.puff ?? 0) * Math.sin(Math.PI * Math.min(1, t * 1.1));
      const flare = (opts.flare ?? 0) * t;
      const e = ease + loose + cuff + puff + flare;
      return [a + e, b + e];
    },
    up: v3(0, 1, 0),
    around: 12,
    // Rows gather at the shoulder and elbow (arms bend a lot when seated).
    stations: limbStations(0, tEnd, Math.max(5, Math.round(11 * tEnd)), [[tUp, 3], [tEl, 3]]),
    // The start cap is inside the torso; the cuff end is a thin ring.
    capStart: 0.5,
    capEnd: long ? 0.12 : 0.06,
    capStartRows: 1,
    capEndRows: 2,
    skin: (t) => sk(Math.max(0, t) * tEnd),
  });
}

/** A single-sided patch on the torso front: rows in y, columns across the angle range. */
function frontPanel(c: TopCtx, torso: Torso, slot: Slot, y0: number, y1: number, halfAngle: (y: number) => number, lift: number): void {
  const sk = torsoSkin(c.dims, c.rig);
  c.mb.surface(
    slot,
    8,
    10,
    false,
    (u, v) => {
      const y = y0 + (y1 - y0) * v;
      const a = Math.PI / 2 + (u * 2 - 1) * halfAngle(y);
      return torso.point(y, a, lift);
    },
    (_u, _v, p) => sk(p),
    { facing: () => v3(0, 0, 1) },
  );
}

function collarFlaps(c: TopCtx, torso: Torso, slot: Slot): void {
  const { y, H, r } = c.dims;
  const sk = torsoSkin(c.dims, c.rig);
  for (const side of [1, -1]) {
    const yy = y.shoulder + H * 0.004;
    const p = torso.point(yy, Math.PI / 2 - side * 0.55, 0.004);
    const q = new THREE.Quaternion().setFromEuler(new THREE.Euler(-0.5, side * 0.5, side * 0.6));
    ellipsoid(c.mb, slot, p.add(v3(side * r.neck * 0.15, -H * 0.004, 0.004)), v3(r.neck * 0.55, 0.003, r.neck * 0.7), (pp) => sk(pp), { lat: 4, lon: 8, rotate: q });
  }
}

function buttons(c: TopCtx, torso: Torso, slot: Slot, y0: number, y1: number, n: number): void {
  const sk = torsoSkin(c.dims, c.rig);
  for (let i = 0; i < n; i++) {
    const yy = y0 + ((y1 - y0) * i) / Math.max(1, n - 1);
    const p = torso.point(yy, Math.PI / 2, 0.002);
    ellipsoid(c.mb, slot, p, v3(0.0055, 0.0055, 0.0025), (pp) => sk(pp), { lat: 4, lon: 6 });
  }
}

function collarRing(c: TopCtx, torso: Torso, slot: Slot, thick: number): void {
  const { y, H } = c.dims;
  const yy = y.shoulder + H * 0.01;
  const s = torso.section(yy);
  const sk = torsoSkin(c.dims, c.rig);
  const pts: V3[] = [];
  for (let i = 0; i <= 24; i++) {
    const a = (i / 24) * Math.PI * 2;
    pts.push(v3(Math.cos(a) * (s.rx + thick * 0.3), yy, s.z + Math.sin(a) * (s.rz + thick * 0.3)));
  }
  tube(c.mb, { slot, points: pts, radius: () => [thick, thick * 1.2], up: v3(0, 1, 0), around: 6, along: 18, skin: (_t, p) => mixSkin(sk(p), [[c.rig.idx("neck"), 1]], 0.2), closed: true });
}

function hood(c: TopCtx, torso: Torso): void {
  const { y, H } = c.dims;
  const yy = y.shoulder + H * 0.006;
  const s = torso.section(yy);
  const sk = torsoSkin(c.dims, c.rig);
  const pts: V3[] = [];
  for (let i = 0; i <= 12; i++) {
    const a = Math.PI * 0.3 - (i / 12) * Math.PI * 1.6; // front-left, around the back, front-right
    const back = Math.max(0, -Math.sin(a));
    pts.push(v3(Math.cos(a) * (s.rx + 0.014 + back * 0.012), yy + H * 0.004 + back * H * 0.014, s.z + Math.sin(a) * (s.rz + 0.014 + back * 0.035)));
  }
  tube(c.mb, {
    slot: "top",
    points: pts,
    radius: (t) => {
      const k = Math.sin(Math.PI * t);
      return [0.014 + 0.026 * k, 0.016 + 0.02 * k];
    },
    up: v3(0, 1, 0),
    around: 10,
    along: 14,
    capStart: 0.6,
    capEnd: 0.6,
    capRows: 2,
    skin: (_t, p) => mixSkin(sk(p), [[c.rig.idx("upperChest"), 1]], 0.5),
  });
  // Drawstrings.
  for (const side of [1, -1]) {
    const top = torso.point(yy - H * 0.004, Math.PI / 2 - side * 0.3, 0.01);
    const bot = torso.point(yy - H * 0.075, Math.PI / 2 - side * 0.26, 0.006);
    tube(c.mb, { slot: "inner", points: [top, bot], radius: () => [0.0028, 0.0028], up: v3(0, 0, 1), around: 5, along: 2, capStart: 0.5, capEnd: 1, capRows: 2, skin: (_t, p) => sk(p) });
  }
  // Kangaroo pocket: a soft raised patch whose outline reads as a pocket.
  const py = c.dims.y.hips + H * 0.012;
  const pp = torso.point(py, Math.PI / 2, -0.004);
  ellipsoid(c.mb, "top", pp, v3(torso.section(py).rx * 0.62, H * 0.03, 0.012), (p) => sk(p), { lat: 6, lon: 12 });
}

export function buildTop(mb: MeshBuilder, dims: Dims, rig: Rig, desc: AvatarDescription): { ease: number; hemY: number; tucked: boolean } {
  const c: TopCtx = { mb, dims, rig, desc };
  const { y, H } = dims;
  const top = desc.outfit.top;
  const tucked = top === "tshirt" || top === "shirtVest" || top === "dress";
  // Tucked into a skirt: end the top just under the skirt's waistband so nothing shows when the skirt lifts.
  const intoSkirt = tucked && desc.outfit.bottom === "skirt" && top !== "dress";
  const hemY = intoSkirt ? y.waist - H * 0.02 : {
    hoodie: y.hips - H * 0.045,
    sweater: y.hips - H * 0.035,
    cardigan: y.hips - H * 0.05,
    jacket: y.hips - H * 0.05,
    shirtVest: y.hips - H * 0.012,
    tshirt: y.hips - H * 0.025,
    dress: y.waist - H * 0.01,
  }[top];
  const ease = { hoodie: 0.014, sweater: 0.01, cardigan: 0.011, jacket: 0.013, shirtVest: 0.007, tshirt: 0.008, dress: 0.006 }[top];
  const torso = new Torso(torsoRows(dims), dims, ease, hemY);
  torso.build(mb, "top", rig, { hemRib: top === "sweater" || top === "hoodie" || top === "cardigan" ? 0.06 : 0 });
  const vBottom = y.chest - H * 0.01;
  const vAngle = (depth: number) => (yy: number): number => Math.max(0.02, ((yy - vBottom) / (y.shoulder + H * 0.01 - vBottom)) * depth);
  for (const side of [1, -1] as Side[]) {
    switch (top) {
      case "hoodie":
      case "sweater":
      case "cardigan":
        sleeve(c, side, "top", 0.985, ease, { cuff: true });
        buildArmSkin(mb, dims, rig, side, 0.9);
        break;
      case "jacket":
        sleeve(c, side, "top", 0.975, ease, {});
        buildArmSkin(mb, dims, rig, side, 0.9);
        break;
      case "shirtVest":
        sleeve(c, side, "inner", 0.98, 0.008, { cuff: true });
        buildArmSkin(mb, dims, rig, side, 0.9);
        break;
      case "tshirt":
        sleeve(c, side, "top", 0.42, ease + 0.004, { flare: 0.006 });
        buildArmSkin(mb, dims, rig, side, 0.1);
        break;
      case "dress":
        sleeve(c, side, "top", 0.36, ease + 0.004, { puff: 0.014 });
        buildArmSkin(mb, dims, rig, side, 0.1);
        break;
    }
  }
  switch (top) {
    case "hoodie":
      hood(c, torso);
      break;
    case "sweater":
    case "tshirt":
      collarRing(c, torso, "top", top === "sweater" ? 0.007 : 0.004);
      break;
    case "cardigan":
      frontPanel(c, torso, "inner", vBottom, y.shoulder + H * 0.012, vAngle(0.32), 0.003);
      collarFlaps(c, torso, "inner");
      buttons(c, torso, "inner", vBottom - H * 0.02, y.hips - H * 0.03, 4);
      break;
    case "shirtVest":
      frontPanel(c, torso, "inner", vBottom, y.shoulder + H * 0.012, vAngle(0.5), 0.003);
      collarFlaps(c, torso, "inner");
      buttons(c, torso, "inner", vBottom - H * 0.02, y.hips, 3);
      break;
    case "jacket": {
      // Open jacket: the inner shirt shows in a long V down to the hem.
      const half = (yy: number): number => (yy > vBottom ? vAngle(0.65)(yy) + 0.28 : 0.28 + (vBottom - yy) * 0.4);
      frontPanel(c, torso, "inner", hemY + 0.004, y.shoulder + H * 0.012, half, 0.003);
      lapels(c, torso, hemY, half);
      collarRing(c, torso, "top", 0.006);
      break;
    }
    case "dress":
      collarRing(c, torso, "top", 0.0035);
      break;
  }
  if (desc.accessories.includes("tie")) tie(c, torso, vBottom);
  return { ease, hemY, tucked };
}

function lapels(c: TopCtx, torso: Torso, hemY: number, half: (y: number) => number): void {
  const { y, H } = c.dims;
  const sk = torsoSkin(c.dims, c.rig);
  for (const side of [1, -1]) {
    const pts: V3[] = [];
    for (let i = 0; i <= 10; i++) {
      const yy = y.shoulder + H * 0.01 - (i / 10) * (y.shoulder + H * 0.01 - hemY - 0.01);
      pts.push(torso.point(yy, Math.PI / 2 - side * (half(yy) + 0.03), 0.006));
    }
    // Flat strip (wide across the chest, thin outward) along the opening's edge.
    tube(c.mb, { slot: "top", points: pts, radius: (t) => [0.011 - 0.005 * t, 0.0035], up: v3(0, 0, 1), around: 6, along: 6, capStart: 0.4, capEnd: 0.4, capRows: 2, skin: (_t, p) => sk(p) });
  }
}

function tie(c: TopCtx, torso: Torso, vBottom: number): void {
  const { y, H } = c.dims;
  const sk = torsoSkin(c.dims, c.rig);
  const yTop = y.shoulder + H * 0.002;
  const pts: V3[] = [];
  for (let i = 0; i <= 6; i++) {
    const yy = yTop - (i / 6) * (yTop - (vBottom - H * 0.01));
    pts.push(torso.point(yy, Math.PI / 2, 0.003));
  }
  tube(c.mb, { slot: "accent", points: pts, radius: (t) => [0.006 + 0.007 * t, 0.002], up: v3(0, 0, 1), around: 6, along: 6, capStart: 0.5, capEnd: 0.8, capRows: 2, skin: (_t, p) => sk(p) });
  const knot = torso.point(yTop, Math.PI / 2, 0.004);
  ellipsoid(c.mb, "accent", knot, v3(0.008, 0.007, 0.004), (p) => sk(p), { lat: 5, lon: 8 });
}
