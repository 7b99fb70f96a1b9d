// Flat-colour material slots and their MToon parameters.
// MToon ignores vertex colours by default (three-vrm `ignoreVertexColor = true`),
// so every colour needs its own material; slots with equal colours are merged
// to keep draw calls low.
import * as THREE from "three";
import type { AvatarDescription } from "./description.js";
import { color, hsl, mixColor, rgbArray } from "./util.js";

/** Body mesh slots (silhouette, outlined) and face mesh slots (decals, no outline). */
export const BODY_SLOTS = ["skin", "hair", "hairStreak", "top", "inner", "bottom", "shoes", "accent"] as const;
export const FACE_SLOTS = ["white", "iris", "ink", "mouth", "blush"] as const;
export type BodySlot = (typeof BODY_SLOTS)[number];
export type FaceSlot = (typeof FACE_SLOTS)[number];
export type Slot = BodySlot | FaceSlot;

type Kind = "skin" | "hair" | "cloth" | "small" | "decal" | "blush";

export interface SlotStyle {
  color: THREE.Color;
  kind: Kind;
}

export interface Palette {
  styles: Map<Slot, SlotStyle>;
  /** Maps a body slot to the slot whose material it shares (equal colours). */
  canonical: (s: Slot) => Slot;
}

export function makePalette(d: AvatarDescription): Palette {
  const hair = color(d.hair.color);
  const o = d.outfit;
  // Ink (lashes, pupils, brows, glasses) = hair hue pushed very dark so light-haired
  // characters get soft brown/plum lines instead of harsh black.
  const ink = hsl(hair, 0, 0.55, 0.01).lerp(hsl(hair, 0, 0.8, 0.3), 0.5);
  const skinC = color(d.skin);
  const styles = new Map<Slot, SlotStyle>([
    ["skin", { color: skinC, kind: "skin" }],
    ["hair", { color: hair, kind: "hair" }],
    ["hairStreak", { color: color(d.hair.streak ?? d.hair.color), kind: "hair" }],
    ["top", { color: color(o.topColor), kind: "cloth" }],
    ["inner", { color: color(o.innerColor ?? o.topColor), kind: "cloth" }],
    ["bottom", { color: color(o.bottomColor), kind: "cloth" }],
    ["shoes", { color: color(o.shoesColor), kind: "cloth" }],
    ["accent", { color: color(d.accent), kind: "small" }],
    ["white", { color: color("#fdfcff"), kind: "decal" }],
    ["iris", { color: color(d.eyes.color), kind: "decal" }],
    ["ink", { color: ink, kind: "decal" }],
    ["mouth", { color: color("#8a2f3c"), kind: "decal" }],
    // Blush: warm pink, pulled toward the skin tone on darker skin so it stays subtle.
    ["blush", { color: mixColor(color("#ff6f7d"), skinC, 0.25 + 0.35 * (1 - skinLightness(skinC))), kind: "blush" }],
  ]);
  const keyOf = (s: Slot): string => `#${styles.get(s)?.color.getHexString() ?? "000000"}`;
  const canon = new Map<Slot, Slot>();
  const firstByKey = new Map<string, Slot>();
  for (const s of BODY_SLOTS) {
    const k = keyOf(s);
    const f = firstByKey.get(k);
    if (f) canon.set(s, f);
    else {
      firstByKey.set(k, s);
      canon.set(s, s);
    }
  }
  return { styles, canonical: (s) => canon.get(s) ?? s };
}

function skinLightness(c: THREE.Color): number {
  const o = { h: 0, s: 0, l: 0 };
  c.getHSL(o, THREE.SRGBColorSpace);
  return o.l;
}

/** The glTF-side material (exported by GLTFExporter); MToon is attached afterwards. */
export function makeMaterial(slot: Slot, p: Palette): THREE.Material {
  const st = p.styles.get(slot);
  if (!st) throw new Error(`no style for ${slot}`);
  const m = new THREE.MeshStandardMaterial({ color: st.color, roughness: 1, metalness: 0 });
  m.name = slot;
  if (st.kind === "blush") {
    m.transparent = true;
    m.opacity = 0.45;
    m.depthWrite = false;
  }
  return m;
}

/** VRMC_materials_mtoon 1.0 parameters for a slot (all colour factors linear RGB). */
export function mtoonFor(slot: Slot, p: Palette): Record<string, unknown> {
  const st = p.styles.get(slot);
  if (!st) throw new Error(`no style for ${slot}`);
  const c = st.color;
  const common = {
    specVersion: "1.0",
    shadingToonyFactor: 0.9,
    giEqualizationFactor: 0.9,
    matcapFactor: [0, 0, 0],
    rimLightingMixFactor: 1,
    parametricRimFresnelPowerFactor: 4,
    parametricRimLiftFactor: 0,
    outlineLightingMixFactor: 1,
  };
  switch (st.kind) {
    case "skin":
      return {
        ...common,
        // Warm, slightly saturated shade: reads as soft anime skin shadow, not grey.
        shadeColorFactor: rgbArray(hsl(c, -0.02, 1.12, 0.84)),
        shadingShiftFactor: 0.15,
        parametricRimColorFactor: rgbArray(c.clone().multiplyScalar(0.18)),
        outlineWidthMode: "worldCoordinates",
        outlineWidthFactor: 0.0016, // metres
        outlineColorFactor: rgbArray(hsl(c, -0.03, 1.2, 0.38)),
      };
    case "hair":
      return {
        ...common,
        shadeColorFactor: rgbArray(hsl(c, 0.015, 1.15, 0.66)),
        shadingShiftFactor: 0.0,
        parametricRimColorFactor: rgbArray(c.clone().multiplyScalar(0.3)),
        outlineWidthMode: "worldCoordinates",
        outlineWidthFactor: 0.0022,
        outlineColorFactor: rgbArray(hsl(c, 0.01, 1.1, 0.32)),
      };
    case "cloth":
    case "small":
      return {
        ...common,
        shadeColorFactor: rgbArray(hsl(c, 0.01, 1.08, 0.7)),
        shadingShiftFactor: 0.0,
        parametricRimColorFactor: rgbArray(c.clone().multiplyScalar(0.22)),
        outlineWidthMode: "worldCoordinates",
        outlineWidthFactor: st.kind === "small" ? 0.0012 : 0.002,
        outlineColorFactor: rgbArray(hsl(c, 0, 1.1, 0.3)),
      };
    case "decal":
    case "blush":
      // Decals: always lit (large positive shift) and no outline, so eyes/mouth stay crisp.
      return {
        ...common,
        shadeColorFactor: rgbArray(slot === "white" ? color("#dfe3f2") : hsl(c, 0, 1, 0.85)),
        shadingShiftFactor: 0.6,
        parametricRimColorFactor: [0, 0, 0],
        outlineWidthMode: "none",
        outlineWidthFactor: 0,
        outlineColorFactor: [0, 0, 0],
        ...(st.kind === "blush" ? { transparentWithZWrite: false, renderQueueOffsetNumber: 0 } : {}),
      };
  }
}
