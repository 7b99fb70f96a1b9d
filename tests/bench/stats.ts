/** Percentiles and report helpers for benchmarks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

export function summary(values: readonly number[]): { p50: number; p95: number; n: number } {
  return { p50: round(percentile(values, 0.5)), p95: round(percentile(values, 0.95)), n: values.length };
}

/** A section of the report: figures by name, plus what was skipped and why. */
export interface Section {
  figures: Record<string, unknown>;
  skipped?: Record<string, string>;
  notes?: string[];
}
