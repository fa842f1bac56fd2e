/**
 * The accuracy axis of the cost tables: for a (weight format, activation format) pair, how
 * much signal survives quantization of a declared weight tensor, a declared activation tensor,
 * and their matrix product. Deterministic (seeded tensors, absmax per-tensor scales) and fast
 * enough for every pair of the 33 formats of 3 to 8 bits (quantized tensors are cached per format).
 */
import { parseFormat } from '../generators/formats/format.ts';
import { sample, type Distribution } from './dist.ts';
import { quantizerFor } from './lut.ts';
import { measure, sqnrDb } from './measure.ts';

/** One declared tensor: a seeded sample of a distribution, `rows × cols`, C order. */
export interface DeclaredTensor {
  /** The distribution (gauss, laplace, student3, uniform). */
  readonly dist: Distribution;
  /** Rows. */
  readonly rows: number;
  /** Columns (the dot-product length; weights and activations must agree). */
  readonly cols: number;
  /** PRNG seed. */
  readonly seed: number;
}

/**
 * The tensors of {@link pairAccuracy}: weights W and activations X of the same shape rows × len;
 * the output is the rows dot products y_r = Σ_k W[r,k]·X[r,k] (each weight row with its own
 * activation vector, so the tensors can be large enough to hold realistic outliers while the
 * cost per pair stays one multiply per element).
 */
export interface AccuracySetup {
  /** The weight tensor W. */
  readonly weight: DeclaredTensor;
  /** The activation tensor X, one activation vector per row. */
  readonly activation: DeclaredTensor;
}

/** The declared defaults: Gaussian weights and Student-t(3) activations, both 512 × 512 (seeds 1 and 2), absmax scales. */
export const ACCURACY_DEFAULTS: AccuracySetup = Object.freeze({
  weight: Object.freeze({ dist: 'gauss', rows: 512, cols: 512, seed: 1 }),
  activation: Object.freeze({ dist: 'student3', rows: 512, cols: 512, seed: 2 }),
});

/** One line describing a setup, for reports: which tensors, sizes, seeds and scale rule. */
export function describeSetup(setup: AccuracySetup = ACCURACY_DEFAULTS): string {
  const t = (d: DeclaredTensor): string => `${d.dist} ${d.rows}×${d.cols} (seed ${d.seed})`;
  return (
    `weights W: ${t(setup.weight)}; activations X: ${t(setup.activation)}; per-tensor absmax scales, exact RNE (saturating); ` +
    `output SQNR of the ${setup.weight.rows} dot products y_r = W_r·X_r of length ${setup.weight.cols}`
  );
}

/** The accuracy of one (weight, activation) format pair, in dB. */
export interface PairAccuracy {
  /** SQNR of the quantized weights. */
  weightSqnrDb: number;
  /** SQNR of the quantized activations. */
  activationSqnrDb: number;
  /** SQNR of the dot products Ŵ_r·X̂_r against the unquantized W_r·X_r. */
  outputSqnrDb: number;
}

interface Prepared {
  readonly w: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly ySignal: number;
  readonly qw: Map<string, { data: Float64Array; sqnrDb: number }>;
  readonly qx: Map<string, { data: Float64Array; sqnrDb: number }>;
}

const PREPARED = new Map<string, Prepared>();

/** Row-wise dot products: out[r] = Σ_k a[r·k + t]·b[r·k + t] for `rows` rows of length `len`. */
function rowDots(a: Float64Array, b: Float64Array, rows: number, len: number, out: Float64Array): Float64Array {
  for (let r = 0; r < rows; r++) {
    const o = r * len;
    let s = 0;
    for (let t = 0; t < len; t++) s += a[o + t] * b[o + t];
    out[r] = s;
  }
  return out;
}

function prepare(setup: AccuracySetup): Prepared {
  const key = JSON.stringify(setup);
  let p = PREPARED.get(key);
  if (p) return p;
  const { weight: W, activation: X } = setup;
  if (W.cols !== X.cols || W.rows !== X.rows) throw new RangeError(`weights ${W.rows}×${W.cols} and activations ${X.rows}×${X.cols} differ in shape`);
  const w = sample(W.dist, W.rows * W.cols, W.seed);
  const x = sample(X.dist, X.rows * X.cols, X.seed);
  const y = rowDots(w, x, W.rows, W.cols, new Float64Array(W.rows));
  let ySignal = 0;
  for (const v of y) ySignal += v * v;
  p = { w, x, y, ySignal, qw: new Map(), qx: new Map() };
  PREPARED.set(key, p);
  return p;
}

function quantized(
  cache: Map<string, { data: Float64Array; sqnrDb: number }>,
  spec: string,
  flag: string,
  data: Float64Array,
  rows: number,
  cols: number,
): { data: Float64Array; sqnrDb: number } {
  let hit = cache.get(spec);
  if (hit) return hit;
  const q = quantizerFor(parseFormat(spec, flag));
  const out = new Float64Array(data.length);
  const m = measure(q, { name: spec, shape: [rows, cols], data }, { out });
  hit = { data: out, sqnrDb: m.sqnrDb };
  cache.set(spec, hit);
  return hit;
}

/**
 * SQNR (dB) of the declared weight tensor in `weightSpec`, the declared activation tensor in
 * `activationSpec`, and of their row-wise dot products computed from the quantized operands
 * (double-precision products and sums) against the unquantized ones. Bad specs throw UsageError
 * naming `--wfmt` / `--afmt`.
 */
export function pairAccuracy(weightSpec: string, activationSpec: string, setup: AccuracySetup = ACCURACY_DEFAULTS): PairAccuracy {
  const p = prepare(setup);
  const { weight: W, activation: X } = setup;
  const qw = quantized(p.qw, weightSpec, '--wfmt', p.w, W.rows, W.cols);
  const qx = quantized(p.qx, activationSpec, '--afmt', p.x, X.rows, X.cols);
  const yq = rowDots(qw.data, qx.data, W.rows, W.cols, new Float64Array(p.y.length));
  let noise = 0;
  for (let i = 0; i < yq.length; i++) {
    const e = p.y[i] - yq[i];
    noise += e * e;
  }
  return { weightSqnrDb: qw.sqnrDb, activationSqnrDb: qx.sqnrDb, outputSqnrDb: sqnrDb(p.ySignal, noise) };
}
