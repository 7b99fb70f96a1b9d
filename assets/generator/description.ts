// The small, human-editable description an avatar is generated from.
// Colours are sRGB hex strings ("#rrggbb").

export type Frame = "feminine" | "masculine";
export type Build = "slim" | "average" | "sturdy";
export type HairStyle = "short" | "bob" | "long" | "ponytail" | "twinTails" | "spiky" | "bun";
export type Bangs = "swept" | "straight" | "parted" | "curtain";
export type TopStyle = "hoodie" | "shirtVest" | "sweater" | "cardigan" | "jacket" | "dress" | "tshirt";
export type BottomStyle = "pants" | "skirt" | "shorts";
export type EyeShape = "round" | "sharp" | "sleepy";
export type Accessory =
  | "glasses"
  | "roundGlasses"
  | "hairclip"
  | "headband"
  | "earrings"
  | "scarf"
  | "beard"
  | "goatee"
  | "stubble"
  | "tie";

export interface AvatarDescription {
  /** File name stem and VRM meta name source, e.g. "ada" -> ada.vrm. */
  id: string;
  name: string;
  /** One-line flavour text stored in VRM meta (not used for geometry). */
  blurb: string;
  frame: Frame;
  build: Build;
  /** Multiplies the frame's base height (1.60 m feminine, 1.70 m masculine); clamped to 1.5-1.75 m. */
  height: number;
  /** Older faces get slightly narrower eyes and softer lashes. */
  age: "young" | "adult" | "senior";
  skin: string;
  hair: {
    style: HairStyle;
    color: string;
    /** Optional second hair colour for a few streak locks (costs one draw call). */
    streak?: string;
    bangs: Bangs;
  };
  eyes: {
    color: string;
    shape: EyeShape;
    /** 1 = default size; ~0.85-1.15. */
    size: number;
  };
  outfit: {
    top: TopStyle;
    topColor: string;
    /** Shirt under a vest/cardigan/jacket, or trim colour. */
    innerColor?: string;
    bottom: BottomStyle;
    bottomColor: string;
    shoesColor: string;
  };
  /** Personal accent colour (UI colour), used for small accessories / details. */
  accent: string;
  accessories: Accessory[];
}
