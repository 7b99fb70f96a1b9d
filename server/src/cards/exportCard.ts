/**
 * A character as a card file: a V3 PNG (a portrait of its avatar, with the
 * card in `ccv3` and a V2 backfill in `chara`), a V3 JSON, or a CHARX carrying
 * the card, the portrait as its main icon and its VRM.
 */
import type { CharacterConfig } from "@parley/shared";
import { backfillV2, characterToCard, type CardAsset } from "./characterToCard.js";
import { withTextChunks } from "./png.js";
import { writeCharx } from "./charx.js";
import { CardError } from "./CardError.js";

export const EXPORT_FORMATS = ["png", "json", "charx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput {
  character: CharacterConfig;
  /** the avatar as the card names it (a generated file name, or the character's own) */
  avatar: string;
  /** the VRM the character sits with */
  vrm: Uint8Array;
  /** a PNG portrait of that VRM */
  portrait: () => Uint8Array;
}

const ICON = "assets/icon/images/main.png";
const VRM = "assets/x_parley_vrm/3d/avatar.vrm";

const base64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

export function exportCard(format: string, o: ExportInput): { bytes: Uint8Array; type: string; ext: string } {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CardError(`format: "${format.slice(0, 20)}" is not png, json or charx`, 400);
  if (format === "json") {
    return { bytes: Buffer.from(JSON.stringify(characterToCard(o.character, { avatar: o.avatar }), null, 2)), type: "application/json", ext: "json" };
  }
  if (format === "png") {
    const card = characterToCard(o.character, { avatar: o.avatar });
    return { bytes: withTextChunks(o.portrait(), [["chara", base64(JSON.stringify(backfillV2(card)))], ["ccv3", base64(JSON.stringify(card))]]), type: "image/png", ext: "png" };
  }
  const assets: CardAsset[] = [
    { type: "icon", uri: `embeded://${ICON}`, name: "main", ext: "png" },
    { type: "x_parley_vrm", uri: `embeded://${VRM}`, name: "avatar", ext: "vrm" },
  ];
  const card = characterToCard(o.character, { avatar: o.avatar, assets });
  return { bytes: writeCharx(JSON.stringify(card), new Map([[ICON, o.portrait()], [VRM, o.vrm]])), type: "application/zip", ext: "charx" };
}
