// TensorBoard's scalar smoothing, so a curve here looks like the same curve there: an
// exponential moving average started at 0 and debiased by dividing by (1 - w^n), n the
// finite points seen so far. It follows `classicSmoothing` in TensorBoard's line chart
// (tensorflow/tensorboard, tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts;
// earlier tensorboard/components/vz_line_chart2/line-chart.ts, `resmoothDataset`):
// a non-finite point (null, NaN) is passed through and does not count, and a constant
// series is returned as it is. Pure: the input array is never changed.

/** Smoothing weights the slider offers: 0 (off) to MAX_WEIGHT. */
export const MAX_WEIGHT = 0.99;
export const DEFAULT_WEIGHT = 0.6; // TensorBoard's default

/** `values` smoothed with weight `weight` (0 = unchanged, towards 1 = smoother). */
export function smoothed(values, weight = DEFAULT_WEIGHT) {
  const w = Math.min(Math.max(Number(weight) || 0, 0), 1);
  if (w === 0 || values.every((v) => v === values[0])) return values.slice();
  const out = new Array(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    count += 1;
    out[i] = w === 1 ? last : last / (1 - w ** count);
  }
  return out;
}

/** A weight read from a link or a slider: a number in [0, MAX_WEIGHT], else `fallback`. */
export function weightFrom(text, fallback = DEFAULT_WEIGHT) {
  if (text === null || text === undefined || String(text).trim() === "") return fallback;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 && value <= MAX_WEIGHT ? value : fallback;
}
