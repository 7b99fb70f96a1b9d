/**
 * ARPAbet phones (as flite prints them with -psdur, lower case, no stress digits)
 * to the IPA symbols `visemes.ts` understands, so flite's timeline drives the
 * same mouth shapes as espeak-ng's.
 */
const ARPABET_TO_IPA: Readonly<Record<string, string>> = {
  // vowels
  aa: "ɑ", ae: "æ", ah: "ʌ", ao: "ɔ", aw: "aʊ", ax: "ə", axr: "ɚ", ay: "aɪ",
  eh: "ɛ", er: "ɝ", ey: "eɪ", ih: "ɪ", ix: "ɨ", iy: "i", ow: "oʊ", oy: "ɔɪ",
  uh: "ʊ", uw: "u", ux: "ʉ",
  // consonants
  b: "b", ch: "tʃ", d: "d", dh: "ð", dx: "ɾ", el: "l", em: "m", en: "n", f: "f",
  g: "ɡ", hh: "h", jh: "dʒ", k: "k", l: "l", m: "m", n: "n", ng: "ŋ", nx: "n",
  p: "p", q: "ʔ", r: "ɹ", s: "s", sh: "ʃ", t: "t", th: "θ", v: "v", w: "w",
  wh: "ʍ", y: "j", z: "z", zh: "ʒ",
  // pauses and breaths close the mouth
  pau: "", sil: "", "h#": "", brth: "",
};

/** IPA for one ARPAbet phone; stress digits and case are ignored; unknown phones pass through. */
export function arpabetToIpa(phone: string): string {
  const key = phone.trim().toLowerCase().replace(/[0-9]$/, "");
  return ARPABET_TO_IPA[key] ?? key;
}
