// Turns the exported glTF JSON into VRM 1.0: VRMC_vrm (meta, humanoid,
// expressions, lookAt, firstPerson), VRMC_springBone and VRMC_materials_mtoon.
// Everything is resolved by node/material *name*, which GLTFExporter preserves.
import type { Preset } from "./face.js";

type Override = "none" | "block" | "blend";

export interface SpringParams {
  stiffness: number;
  gravityPower: number;
  dragForce: number;
  hitRadius: number; // metres
}

export interface VrmSpec {
  name: string;
  blurb: string;
  humanBones: string[];
  faceNode: string;
  bodyNode: string;
  morphNames: string[];
  expressions: Record<Preset, { overrideBlink: Override; overrideLookAt: Override; overrideMouth: Override }>;
  /** Eye midpoint relative to the head bone (m). */
  lookAtOffset: number[];
  springs: Array<{ name: string; nodes: string[]; params: SpringParams }>;
  colliders: Array<{ node: string; offset: number[]; radius: number }>;
  mtoon: Map<string, Record<string, unknown>>;
}

interface Node {
  name?: string;
  mesh?: number;
}
interface Material {
  name?: string;
  extensions?: Record<string, unknown>;
}

const r4 = (x: number): number => Math.round(x * 1e5) / 1e5;

export function applyVrm(json: Record<string, unknown>, spec: VrmSpec): void {
  const nodes = (json.nodes ?? []) as Node[];
  const nodeIndex = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (n.name) nodeIndex.set(n.name, i);
  });
  const idx = (name: string): number => {
    const i = nodeIndex.get(name);
    if (i === undefined) throw new Error(`node "${name}" not found in exported glTF`);
    return i;
  };

  const humanBones: Record<string, { node: number }> = {};
  for (const b of spec.humanBones) humanBones[b] = { node: idx(b) };

  const face = idx(spec.faceNode);
  const preset: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.expressions)) {
    const morph = spec.morphNames.indexOf(name);
    if (morph < 0) throw new Error(`no morph for ${name}`);
    preset[name] = {
      morphTargetBinds: [{ node: face, index: morph, weight: 1.0 }],
      isBinary: false,
      overrideBlink: o.overrideBlink,
      overrideLookAt: o.overrideLookAt,
      overrideMouth: o.overrideMouth,
    };
  }

  const vrmc = {
    specVersion: "1.0",
    meta: {
      name: spec.name,
      version: "1.0",
      authors: ["Parley"],
      copyrightInformation: "Generated procedurally by the Parley avatar generator.",
      licenseUrl: "https://vrm.dev/licenses/1.0/",
      avatarPermission: "everyone",
      allowExcessivelyViolentUsage: false,
      allowExcessivelySexualUsage: false,
      commercialUsage: "corporation",
      allowPoliticalOrReligiousUsage: false,
      allowAntisocialOrHateUsage: false,
      creditNotation: "unnecessary",
      allowRedistribution: true,
      modification: "allowModificationRedistribution",
      otherLicenseUrl: "",
    },
    humanoid: { humanBones },
    firstPerson: {
      meshAnnotations: [
        { node: idx(spec.bodyNode), type: "auto" },
        { node: face, type: "auto" },
      ],
    },
    lookAt: {
      type: "expression",
      offsetFromHeadBone: spec.lookAtOffset.map(r4),
      // Degrees of gaze that map to a full-weight look morph.
      rangeMapHorizontalInner: { inputMaxValue: 30, outputScale: 1 },
      rangeMapHorizontalOuter: { inputMaxValue: 30, outputScale: 1 },
      rangeMapVerticalDown: { inputMaxValue: 25, outputScale: 1 },
      rangeMapVerticalUp: { inputMaxValue: 25, outputScale: 1 },
    },
    expressions: { preset, custom: {} },
  };

  const colliders = spec.colliders.map((c) => ({
    node: idx(c.node),
    shape: { sphere: { offset: c.offset.map(r4), radius: r4(c.radius) } },
  }));
  const spring = {
    specVersion: "1.0",
    colliders,
    colliderGroups: [{ name: "body", colliders: colliders.map((_, i) => i) }],
    springs: spec.springs.map((s) => ({
      name: s.name,
      colliderGroups: [0],
      joints: s.nodes.map((n) => ({
        node: idx(n),
        hitRadius: s.params.hitRadius,
        stiffness: s.params.stiffness,
        gravityPower: s.params.gravityPower,
        gravityDir: [0, -1, 0],
        dragForce: s.params.dragForce,
      })),
    })),
  };

  for (const m of (json.materials ?? []) as Material[]) {
    const mt = m.name ? spec.mtoon.get(m.name) : undefined;
    if (!mt) throw new Error(`no MToon parameters for material "${m.name ?? "?"}"`);
    m.extensions = { ...(m.extensions ?? {}), VRMC_materials_mtoon: mt };
  }

  json.extensions = { ...((json.extensions as Record<string, unknown>) ?? {}), VRMC_vrm: vrmc, VRMC_springBone: spring };
  const used = new Set<string>((json.extensionsUsed as string[] | undefined) ?? []);
  for (const e of ["VRMC_vrm", "VRMC_springBone", "VRMC_materials_mtoon"]) used.add(e);
  json.extensionsUsed = [...used];
  const asset = (json.asset ?? {}) as Record<string, unknown>;
  json.asset = { ...asset, generator: "Parley procedural avatar generator (three.js GLTFExporter)" };
}
