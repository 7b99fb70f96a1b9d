/**
 * Just enough PNG for character cards: walking the chunks, reading and writing
 * `tEXt` text chunks (cards keep base64 JSON in `chara` and `ccv3`), and writing
 * an RGBA image. Every length is checked against the bytes there really are.
 */
import { deflateSync, inflateSync } from "node:zlib";
import { CardError } from "./CardError.js";

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** the longest text a compressed text chunk may unpack to, bytes */
const MAX_INFLATED = 64 * 2 ** 20;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

export const isPng = (b: Uint8Array): boolean => b.length >= 8 && SIGNATURE.every((v, i) => b[i] === v);

export interface PngChunk { type: string; data: Uint8Array }

export function readChunks(png: Uint8Array): PngChunk[] {
  if (!isPng(png)) throw new CardError("not a PNG file (its signature is missing)", 415);
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = v.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (at + 12 + length > png.length) throw new CardError(`the PNG is cut short (its ${type} chunk runs past the end)`);
    out.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === "IEND") return out;
  }
  throw new CardError("the PNG is cut short (no IEND chunk)");
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

/** The text chunks (tEXt, zTXt, iTXt) by keyword; the first of each keyword wins. */
export function readTextChunks(png: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of readChunks(png)) {
    if (c.type !== "tEXt" && c.type !== "zTXt" && c.type !== "iTXt") continue;
    const nul = c.data.indexOf(0);
    if (nul <= 0 || nul > 79) continue;
    const keyword = latin1.decode(c.data.subarray(0, nul));
    if (out.has(keyword)) continue;
    out.set(keyword, textOf(c, nul));
  }
  return out;
}

function inflate(bytes: Uint8Array): Uint8Array {
  try { return inflateSync(bytes, { maxOutputLength: MAX_INFLATED }); } catch (err) {
    throw new CardError(`a compressed PNG text chunk does not unpack (${(err as Error).message})`, (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? 413 : 400);
  }
}

function textOf(c: PngChunk, nul: number): string {
  if (c.type === "tEXt") return latin1.decode(c.data.subarray(nul + 1));
  if (c.type === "zTXt") return latin1.decode(inflate(c.data.subarray(nul + 2)));
  // iTXt: keyword\0 compressed-flag method language\0 translated\0 text (UTF-8)
  const compressed = c.data[nul + 1] === 1;
  let at = c.data.indexOf(0, nul + 3);
  at = at < 0 ? -1 : c.data.indexOf(0, at + 1);
  if (at < 0) return "";
  const body = c.data.subarray(at + 1);
  return utf8.decode(compressed ? inflate(body) : body);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

/** A tEXt chunk; its text must be Latin-1 (cards store base64, which is ASCII). */
function textChunk(keyword: string, text: string): Uint8Array {
  const body = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) body[i] = keyword.charCodeAt(i);
  for (let i = 0; i < text.length; i++) body[keyword.length + 1 + i] = text.charCodeAt(i) & 0xff;
  return chunk("tEXt", body);
}

/** The PNG with these text chunks (replacing any of the same keywords), placed before IEND. */
export function withTextChunks(png: Uint8Array, entries: readonly (readonly [string, string])[]): Uint8Array {
  const keywords = new Set(entries.map(([k]) => k));
  const kept = readChunks(png).filter((c) => !((c.type === "tEXt" || c.type === "zTXt" || c.type === "iTXt") && keywords.has(latin1.decode(c.data.subarray(0, Math.max(0, c.data.indexOf(0)))))));
  const parts: Uint8Array[] = [SIGNATURE];
  for (const c of kept) {
    if (c.type === "IEND") parts.push(...entries.map(([k, t]) => textChunk(k, t)));
    parts.push(chunk(c.type, c.data));
  }
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** An 8-bit RGBA image as a PNG (no filtering: portraits are small). */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  return concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 6 })), chunk("IEND", new Uint8Array(0))]);
}
