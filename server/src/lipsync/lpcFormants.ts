/**
 * The first two formants of a voiced frame, the classic way: pre-emphasis,
 * Hamming window, LPC by Levinson-Durbin, then the angles of the LPC
 * polynomial's complex roots (Durand-Kerner), keeping narrow resonances.
 */

/** [F1, F2] in Hz, or null when the frame shows fewer than two clear resonances. */
export function formants(y: Float32Array, rate: number): [number, number] | null {
  const order = Math.round(rate / 1000) + 2;
  if (y.length <= order * 2) return null;
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    // pre-emphasis lifts the higher formants that voiced speech tilts away (about +6 dB/octave)
    const pre = y[i]! - (i > 0 ? 0.97 * y[i - 1]! : 0);
    w[i] = pre * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (y.length - 1)));
  }
  const a = lpc(w, order);
  if (!a) return null;
  const found: number[] = [];
  for (const [re, im] of polyRoots(a)) {
    if (im <= 0) continue;
    const f = (Math.atan2(im, re) * rate) / (2 * Math.PI);
    const bandwidth = (-Math.log(Math.hypot(re, im)) * rate) / Math.PI;
    if (f > 180 && f < rate / 2 - 100 && bandwidth < 500) found.push(f);
  }
  found.sort((x, z) => x - z);
  const f1 = found[0];
  const f2 = found.find((f) => f1 !== undefined && f > f1 + 150);
  return f1 !== undefined && f2 !== undefined ? [f1, f2] : null;
}

/** LPC coefficients a[0..p] (a[0] = 1) by Levinson-Durbin; null for a silent frame. */
export function lpc(x: Float64Array, p: number): Float64Array | null {
  const r = new Float64Array(p + 1);
  for (let lag = 0; lag <= p; lag++) {
    let s = 0;
    for (let i = lag; i < x.length; i++) s += x[i]! * x[i - lag]!;
    r[lag] = s;
  }
  if (r[0]! <= 1e-12) return null;
  // a little lag-0 lift keeps the recursion stable on near-pure tones
  r[0]! *= 1 + 1e-9;
  const a = new Float64Array(p + 1);
  a[0] = 1;
  let err = r[0]!;
  for (let i = 1; i <= p; i++) {
    let acc = r[i]!;
    for (let j = 1; j < i; j++) acc += a[j]! * r[i - j]!;
    const k = -acc / err;
    const prev = a.slice();
    for (let j = 1; j < i; j++) a[j] = prev[j]! + k * prev[i - j]!;
    a[i] = k;
    err *= 1 - k * k;
    if (err <= 0) return null;
  }
  return a;
}

/** Complex roots [re, im] of the monic polynomial z^p + a1 z^(p-1) + ... + ap (Durand-Kerner). */
export function polyRoots(a: Float64Array): [number, number][] {
  const p = a.length - 1;
  const re = new Float64Array(p);
  const im = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    // distinct starting points spread around a circle inside the unit disc
    const ang = (2 * Math.PI * k) / p + 0.4;
    re[k] = 0.9 * Math.cos(ang);
    im[k] = 0.9 * Math.sin(ang);
  }
  for (let iter = 0; iter < 300; iter++) {
    let moved = 0;
    for (let k = 0; k < p; k++) {
      // P(z) by Horner
      let pr = 1;
      let pi = 0;
      for (let j = 1; j <= p; j++) {
        const nr = pr * re[k]! - pi * im[k]! + a[j]!;
        pi = pr * im[k]! + pi * re[k]!;
        pr = nr;
      }
      // product of (z_k - z_j)
      let qr = 1;
      let qi = 0;
      for (let j = 0; j < p; j++) {
        if (j === k) continue;
        const dr = re[k]! - re[j]!;
        const di = im[k]! - im[j]!;
        const nr = qr * dr - qi * di;
        qi = qr * di + qi * dr;
        qr = nr;
      }
      const den = qr * qr + qi * qi || 1e-30;
      const sr = (pr * qr + pi * qi) / den;
      const si = (pi * qr - pr * qi) / den;
      re[k]! -= sr;
      im[k]! -= si;
      moved = Math.max(moved, Math.abs(sr) + Math.abs(si));
    }
    if (moved < 1e-9) break;
  }
  const out: [number, number][] = [];
  for (let k = 0; k < p; k++) out.push([re[k]!, im[k]!]);
  return out;
}
