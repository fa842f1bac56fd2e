/**
 * Measuring a format on a tensor: choose the scale (absmax, percentile or least-MSE search),
 * per tensor or per channel, quantize exactly, and report SQNR, MSE and the clipped and
 * flushed-to-zero fractions.
 */
import { shown, UsageError } from '../generators/util/errors.ts';
import { decimalNumber } from '../generators/util/numbers.ts';
import { emptySums, type Quantizer, type QuantSums } from './lut.ts';

/** How the scale maps the data onto the format's range. */
export type ScaleRule = { readonly kind: 'absmax' } | { readonly kind: 'percentile'; readonly p: number } | { readonly kind: 'mse' };

/** Parse `--scale absmax|percentile:P|mse`; P must be in (0, 100]. */
export function parseScale(text: string, flag = '--scale'): ScaleRule {
  const s = text.trim().toLowerCase();
  if (s === 'absmax') return { kind: 'absmax' };
  if (s === 'mse') return { kind: 'mse' };
  const m = /^percentile:(.*)$/.exec(s);
  if (!m) throw new UsageError(`unknown scale '${text}': expected absmax, percentile:P or mse`, flag);
  // Decimal only: Number() would read 0x10 as 16 and 1e2 as 100.
  const p = decimalNumber(m[1]);
  if (p === null) throw new UsageError(`percentile must be a decimal number, not ${shown(m[1])}`, flag);
  if (!(p > 0 && p <= 100)) throw new UsageError(`percentile must be in (0, 100], not ${m[1]}`, flag);
  return { kind: 'percentile', p };
}

/** The scale rule as text (`absmax`, `percentile:99.9`, `mse`). */
export function scaleName(rule: ScaleRule): string {
  return rule.kind === 'percentile' ? `percentile:${rule.p}` : rule.kind;
}

/** A dense tensor in C order. */
export interface Tensor {
  /** Where it came from (a file, an initializer name, or the synthetic recipe). */
  readonly name: string;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** The elements in C order (float32 sources are widened exactly). */
  readonly data: Float64Array;
}

/** What one format did to one tensor. */
export interface Measurement {
  /** Canonical format spec. */
  readonly format: string;
  /** Format width in bits. */
  readonly bits: number;
  /** Elements quantized (non-finite ones excluded). */
  readonly n: number;
  /** 10·log10(Σx² / Σ(x − x̂)²) in dB; Infinity when the error is exactly zero. */
  readonly sqnrDb: number;
  /** Mean squared error Σ(x − x̂)² / n. */
  readonly mse: number;
  /** Fraction of elements beyond the format's range after scaling (saturated). */
  readonly clipped: number;
  /** Fraction of non-zero elements that quantized to zero. */
  readonly flushed: number;
  /** The scale of each channel (one entry per tensor when not per-channel): x ≈ s · code value. */
  readonly scales: Float64Array;
}

/** SQNR in dB from the sums (Infinity when there is no error). */
export function sqnrDb(signal: number, noise: number): number {
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

/** Largest |x| over the finite elements of one channel's blocks (see {@link channelBlocks}). */
function absmaxOf(data: ArrayLike<number>, blocks: readonly [number, number][]): number {
  let m = 0;
  for (const [s, e] of blocks) {
    for (let i = s; i < e; i++) {
      const a = Math.abs(data[i]);
      if (a > m && a !== Infinity) m = a;
    }
  }
  return m;
}

/** The P-th percentile (nearest rank) of |x| over the finite elements of the blocks. */
function percentileOf(data: ArrayLike<number>, blocks: readonly [number, number][], p: number): number {
  let count = 0;
  for (const [s, e] of blocks) count += e - s;
  const mags = new Float64Array(count);
  let k = 0;
  for (const [s, e] of blocks) {
    for (let i = s; i < e; i++) {
      const a = Math.abs(data[i]);
      if (a - a === 0) mags[k++] = a;
    }
  }
  if (k === 0) return 0;
  const sorted = mags.subarray(0, k).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * k) - 1)];
}

/**
 * The contiguous index ranges of each channel along `axis` (C order): channel c owns
 * blocks [o·C·inner + c·inner, … + inner) for every outer index o. Without an axis, one channel.
 */
export function channelBlocks(shape: readonly number[], axis: number | null, length: number): [number, number][][] {
  if (axis === null) return [[[0, length]]];
  const C = shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const outer = C * inner === 0 ? 0 : length / (C * inner);
  const out: [number, number][][] = [];
  for (let c = 0; c < C; c++) {
    const blocks: [number, number][] = [];
    for (let o = 0; o < outer; o++) {
      const s = o * C * inner + c * inner;
      blocks.push([s, s + inner]);
    }
    out.push(blocks);
  }
  return out;
}

function runBlocks(q: Quantizer, data: Float64Array, blocks: readonly [number, number][], scale: number, sums: QuantSums, dst?: Float64Array): void {
  for (const [s, e] of blocks) q.run(data, s, e, scale, sums, dst);
}

/** Grid of the least-MSE search: clip = absmax · 2^(-t/STEPS) for t = 0 … STEPS·OCTAVES, then a finer pass. */
const MSE_STEPS = 8;
const MSE_OCTAVES = 12;
const MSE_REFINE = 16;

/** The clipping magnitude with the least squared error, searched on a log grid below absmax. */
function mseClip(q: Quantizer, data: Float64Array, blocks: readonly [number, number][], absmax: number): number {
  const noiseAt = (clip: number): number => {
    const sums = emptySums();
    runBlocks(q, data, blocks, clip / q.rangeMax, sums);
    return sums.noise;
  };
  let best = absmax;
  let bestNoise = noiseAt(absmax);
  let bestT = 0;
  for (let t = 1; t <= MSE_STEPS * MSE_OCTAVES; t++) {
    const clip = absmax * 2 ** (-t / MSE_STEPS);
    const e = noiseAt(clip);
    if (e < bestNoise) [best, bestNoise, bestT] = [clip, e, t];
  }
  for (let r = -MSE_REFINE; r <= MSE_REFINE; r++) {
    const t = bestT + r / MSE_REFINE;
    if (t <= 0 || r === 0) continue;
    const clip = absmax * 2 ** (-t / MSE_STEPS);
    const e = noiseAt(clip);
    if (e < bestNoise) [best, bestNoise] = [clip, e];
  }
  return best;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Scale rule (default absmax). */
  readonly scale?: ScaleRule;
  /** Channel axis for per-channel scales, or null/undefined for one per-tensor scale. */
  readonly axis?: number | null;
  /** Where to write x̂ (same length as the data), if wanted. */
  readonly out?: Float64Array;
}

/** Quantize a tensor into a format (exactly) and measure the error. */
export function measure(q: Quantizer, tensor: Tensor, opts: MeasureOptions = {}): Measurement {
  const rule = opts.scale ?? { kind: 'absmax' };
  const channels = channelBlocks(tensor.shape, opts.axis ?? null, tensor.data.length);
  const scales = new Float64Array(channels.length);
  const sums = emptySums();
  channels.forEach((blocks, c) => {
    const absmax = absmaxOf(tensor.data, blocks);
    let clip = absmax;
    if (rule.kind === 'percentile') clip = percentileOf(tensor.data, blocks, rule.p);
    else if (rule.kind === 'mse' && absmax > 0) clip = mseClip(q, tensor.data, blocks, absmax);
    if (!(clip > 0)) clip = absmax; // a percentile of zeros: fall back to absmax
    const s = clip > 0 ? clip / q.rangeMax : 1; // an all-zero channel quantizes exactly with any scale
    scales[c] = s;
    runBlocks(q, tensor.data, blocks, s, sums, opts.out);
  });
  return {
    format: q.format.spec,
    bits: q.format.bits,
    n: sums.n,
    sqnrDb: sqnrDb(sums.signal, sums.noise),
    mse: sums.n ? sums.noise / sums.n : 0,
    clipped: sums.n ? sums.clipped / sums.n : 0,
    flushed: sums.n ? sums.flushed / sums.n : 0,
    scales,
  };
}
