/**
 * Any character card file as a character: a PNG (the `ccv3` chunk first, then
 * `chara`), a JSON card (V1, V2 or V3) or a CHARX archive (with a VRM avatar, if
 * it carries one). Every way a file can be wrong ends in a CardError naming the
 * problem; nothing is kept of a file that fails.
 */
import { checkVrm, VrmError } from "../avatars/checkVrm.js";
import { CardError } from "./CardError.js";
import { isPng, readTextChunks } from "./png.js";
import { isZip, readCharx } from "./charx.js";
import { cardToCharacter, type CardCharacter, type CardVersion } from "./cardToCharacter.js";
import type { CharacterConfig } from "@parley/shared";

export type CardContainer = "png" | "json" | "charx";

export interface ImportedCard {
  version: CardVersion;
  container: CardContainer;
  character: CardCharacter;
  /** the avatar a CHARX brought (checked loadable) */
  vrm?: Uint8Array;
}

export interface ImportOptions {
  /** avatar, voice and colour for a card that names none of Parley's */
  defaults: (name: string) => Pick<CharacterConfig, "avatar" | "voice" | "color">;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeBase64(text: string, where: string): string {
  const s = text.replace(/\s+/g, "");
  if (!s || s.length % 4 === 1 || !BASE64.test(s)) throw new CardError(`the PNG's ${where} chunk is not valid base64`, 422);
  try { return utf8.decode(Buffer.from(s, "base64")); } catch {
    throw new CardError(`the PNG's ${where} chunk does not decode to UTF-8 text`, 422);
  }
}

function parseJson(text: string, where: string): unknown {
  try { return JSON.parse(text.replace(/^\uFEFF/, "")); } catch (err) {
    throw new CardError(`${where} is not valid JSON (${(err as Error).message.slice(0, 120)})`, 400);
  }
}

function kindOf(bytes: Uint8Array, contentType: string): CardContainer {
  if (isPng(bytes)) return "png";
  if (isZip(bytes)) return "charx";
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "image/png") throw new CardError("the file is sent as image/png but is not a PNG", 415);
  if (type.includes("zip") || type === "application/x-charx") throw new CardError("the file is sent as a zip (CHARX) but is not a zip archive", 415);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (type === "application/json" || type.endsWith("+json") || first === 0x7b) return "json";
  throw new CardError("not a character card: send a PNG card (image/png), a JSON card (application/json) or a CHARX archive (application/zip)", 415);
}

function vrmOf(card: unknown, assets: ReadonlyMap<string, Uint8Array>): [string, Uint8Array] | undefined {
  const listed = (card as { data?: { assets?: unknown } }).data?.assets;
  const named = Array.isArray(listed)
    ? listed.map((a: { uri?: unknown; ext?: unknown }) => (typeof a?.uri === "string" && a.uri.startsWith("embeded://") && /^(vrm|glb)$/i.test(String(a.ext)) ? a.uri.slice("embeded://".length) : ""))
    : [];
  const path = named.find((p) => assets.has(p)) ?? [...assets.keys()].find((p) => /\.vrm$/i.test(p));
  return path ? [path, assets.get(path)!] : undefined;
}

export function importCard(bytes: Uint8Array, contentType: string, o: ImportOptions): ImportedCard {
  if (bytes.length === 0) throw new CardError("the file is empty", 400);
  const container = kindOf(bytes, contentType);
  if (container === "json") {
    let text: string;
    try { text = utf8.decode(bytes); } catch { throw new CardError("the JSON card is not UTF-8 text", 400); }
    return { container, ...cardToCharacter(parseJson(text, "the card"), o) };
  }
  if (container === "png") {
    const chunks = readTextChunks(bytes);
    const key = chunks.has("ccv3") ? "ccv3" : chunks.has("chara") ? "chara" : null;
    if (!key) throw new CardError("this PNG holds no character card (no ccv3 or chara text chunk)", 422);
    const json = parseJson(decodeBase64(chunks.get(key)!, key), `the PNG's ${key} chunk`);
    return { container, ...cardToCharacter(json, o) };
  }
  const charx = readCharx(bytes);
  const json = parseJson(charx.card, "card.json in the archive");
  const imported = cardToCharacter(json, o);
  const vrm = vrmOf(json, charx.assets);
  if (vrm) {
    try { checkVrm(vrm[1]); } catch (err) {
      if (err instanceof VrmError) throw new CardError(`the archive's avatar ${vrm[0]} is not usable: ${err.message}`, 422);
      throw err;
    }
  }
  return { container, ...imported, ...(vrm ? { vrm: vrm[1] } : {}) };
}
