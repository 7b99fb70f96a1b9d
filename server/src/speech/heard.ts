/** What part of an utterance's text a listener heard, from how many samples played. */
export interface SpokenSegment { startSample: number; endSample: number; text: string }

/** Chinese (and Japanese) script: no spaces between words, so a character is the unit heard */
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/** Two pieces of one reply, with a space between them unless Chinese runs on. */
const joinSpoken = (a: string, b: string): string => (!a ? b : !b ? a : CJK.test(a.at(-1)!) || CJK.test(b[0]!) ? a + b : `${a} ${b}`);

export function heardText(segments: readonly SpokenSegment[], playedSamples: number): string {
  let heard = "";
  for (const s of segments) {
    if (playedSamples >= s.endSample) { heard = joinSpoken(heard, s.text); continue; }
    if (playedSamples > s.startSample) {
      // words (characters in Chinese) are spread evenly over the segment; keep only those fully heard
      const cjk = CJK.test(s.text);
      const units = cjk ? [...s.text.replace(/\s+/g, "")] : s.text.split(/\s+/).filter(Boolean);
      const frac = (playedSamples - s.startSample) / Math.max(1, s.endSample - s.startSample);
      const n = Math.floor(units.length * frac);
      if (n > 0) heard = joinSpoken(heard, units.slice(0, n).join(cjk ? "" : " "));
    }
    break;
  }
  return heard;
}
