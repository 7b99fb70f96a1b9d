/** What part of an utterance's text a listener heard, from how many samples played. */
export interface SpokenSegment { startSample: number; endSample: number; text: string }

export function heardText(segments: readonly SpokenSegment[], playedSamples: number): string {
  const parts: string[] = [];
  for (const s of segments) {
    if (playedSamples >= s.endSample) { parts.push(s.text); continue; }
    if (playedSamples > s.startSample) {
      // words are spread evenly over the segment; keep only the words fully heard
      const words = s.text.split(/\s+/).filter(Boolean);
      const frac = (playedSamples - s.startSample) / Math.max(1, s.endSample - s.startSample);
      const n = Math.floor(words.length * frac);
      if (n > 0) parts.push(words.slice(0, n).join(" "));
    }
    break;
  }
  return parts.join(" ");
}
