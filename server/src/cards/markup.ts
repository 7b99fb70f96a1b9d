/**
 * Card text is shown as text everywhere (React escapes it; the server never
 * builds HTML from it), so markup in a card cannot run. Still, a card whose
 * text carries active markup (scripts, event handlers, javascript: links) was
 * made to attack someone: it is refused with the field named, and nothing of
 * it is kept. Inert markup (`<START>` separators, `<br>`, formatting in creator
 * notes) is ordinary card text and stays, shown as written.
 */
import { CardError } from "./CardError.js";

const ACTIVE = /<\s*\/?\s*(script|iframe|frame|object|embed|applet)\b|<[^>]*\s(on[a-z]+)\s*=|\bjavascript\s*:/i;
const TAG = /<\s*\/?\s*[a-z][^>]*>/i;

/** Throws a 422 naming the first field (a dotted path) that holds active markup. */
export function refuseActiveMarkup(value: unknown, path: string, depth = 0): void {
  if (depth > 32) throw new CardError(`${path}: nested too deeply`, 422, path);
  if (typeof value === "string") {
    const m = ACTIVE.exec(value);
    if (m) throw new CardError(`${path} holds active markup (${m[0].slice(0, 40)}); cards are shown as plain text, so remove it`, 422, path);
    return;
  }
  if (Array.isArray(value)) { value.forEach((v, i) => refuseActiveMarkup(v, `${path}[${i}]`, depth + 1)); return; }
  if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) refuseActiveMarkup(v, `${path}.${k}`, depth + 1);
}

/** A name is shown on name cards and spoken: no tags at all. */
export function refuseMarkupInName(name: string, path: string): void {
  if (TAG.test(name)) throw new CardError(`${path} holds markup; a name is plain text`, 422, path);
}
