/** Small helpers for joining transcript pieces and cutting long audio. */

const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** Joins two transcript pieces: a space between words, none between CJK characters. */
export function joinTranscripts(a: string, b: string): string {
  const x = a.trim();
  const y = b.trim();
  if (!x) return y;
  if (!y) return x;
  return CJK.test(x.at(-1)!) && CJK.test(y[0]!) ? x + y : `${x} ${y}`;
}

/**
 * Where to cut audio that must end by `samples.length`: the start of the quietest
 * block (RMS over `block` samples) within the last `search` samples, so the cut falls
 * in a pause rather than in a word when there is one.
 */
export function quietestCut(samples: Float32Array, search: number, block: number): number {
  const end = samples.length;
  const from = Math.max(0, end - search);
  let best = end;
  let bestEnergy = Infinity;
  for (let s = end - block; s >= from; s -= block) {
    let e = 0;
    for (let i = s; i < s + block; i++) e += samples[i]! * samples[i]!;
    if (e < bestEnergy) { bestEnergy = e; best = s + block; }
  }
  return best;
}
