/**
 * The fast exact quantizer: a format's round-to-nearest-even, saturating `encode` followed by
 * `value`, as lookup tables over typed arrays (no per-element allocation, no BigInt).
 *
 * For each sign, the representable magnitudes v_0 = 0 < v_1 < … < v_L are sorted, and each
 * midpoint (v_i + v_{i+1}) / 2 gets the neighbour `Format.encode` picks for it (the tie
 * direction is asked of `encode` itself when the table is built). A magnitude above the
 * largest midpoint saturates to v_L. The lookup indexes a table by the high word of the
 * double's bits (exponent and top mantissa bits), at a resolution of 2^K buckets per binade,
 * K chosen so that every midpoint starts a bucket: every magnitude inside a bucket then
 * rounds the same way, except one exactly at a midpoint whose tie goes down.
 *
 * Checked against `encode` in `test/quant/lut.test.ts` on every midpoint, its neighbouring
 * doubles, every value, and random inputs.
 */
import { endianness } from 'node:os';
import { parseFormat, type Format } from '../generators/formats/format.ts';

if (endianness() !== 'LE') throw new Error('quant/lut.ts reads double bits through a little-endian view');

const SCRATCH = new Float64Array(1);
const SCRATCH_HI = new Uint32Array(SCRATCH.buffer, 4, 1);

/** The high 32 bits of a double (sign, 11 exponent bits, top 20 mantissa bits). */
function hiWord(x: number): number {
  SCRATCH[0] = x;
  return SCRATCH_HI[0];
}

/** Largest bucket resolution (buckets per binade = 2^K) and table size; every format of at most 16 bits fits. */
const MAX_K = 20;
const MAX_BUCKETS = 1 << 22;

/** Unbiased binary exponent of a positive normal double. */
function expOf(x: number): number {
  return ((hiWord(x) >>> 20) & 0x7ff) - 1023;
}

/** One sign's representable magnitudes, their midpoints and where each midpoint's tie goes. */
interface Side {
  /** Sorted magnitudes v_0 = 0 < … < v_L. */
  readonly vals: Float64Array;
  /** mids[i] = (v_i + v_{i+1}) / 2, exact. */
  readonly mids: Float64Array;
  /** tieUp[i] = 1 when `encode` rounds mids[i] to v_{i+1}. */
  readonly tieUp: Uint8Array;
  /** +1 or −1. */
  readonly sign: 1 | -1;
}

function buildSide(format: Format, mags: Set<number>, sign: 1 | -1): Side {
  const vals = Float64Array.from([...mags].sort((a, b) => a - b));
  const L = vals.length - 1;
  const mids = new Float64Array(L);
  const tieUp = new Uint8Array(L);
  for (let i = 0; i < L; i++) {
    mids[i] = (vals[i] + vals[i + 1]) / 2; // exact: adjacent values of a format of at most 16 bits
    const got = Math.abs(format.value(format.encode(sign * mids[i], { saturate: true })));
    if (got !== vals[i] && got !== vals[i + 1]) throw new Error(`${format.spec}: encode(${sign * mids[i]}) gave ${got}, neither neighbour`);
    tieUp[i] = got === vals[i + 1] ? 1 : 0;
  }
  return { vals, mids, tieUp, sign };
}

/**
 * Bucket tables over both signs. Bucket index = (high word of |y| >>> (20 − K)) − keyBase + 1,
 * clamped to [0, n + 1] (0: below 2^kLo, so zero; n + 1: at or above 2^(kHi+1), so the top),
 * plus (n + 2) for negative y. K is the least resolution at which every midpoint starts a
 * bucket, so inside a bucket every magnitude above its start rounds the same way; the only
 * exception is a magnitude exactly at a midpoint whose tie goes down (`tieAt`, `tieVal`).
 */
interface Buckets {
  readonly shift: number;
  readonly keyBase: number;
  /** n + 1: the last bucket of a side. */
  readonly last: number;
  /** n + 2: the offset of the negative side. */
  readonly stride: number;
  /** Signed rounded value of each bucket. */
  readonly val: Float64Array;
  /** 1 where the bucket's value is zero. */
  readonly zero: Float64Array;
  /** The bucket's start when a tie there goes down, else NaN (never equal). */
  readonly tieAt: Float64Array;
  /** The signed value of that tie. */
  readonly tieVal: Float64Array;
}

function aligned(mid: number, K: number): boolean {
  return Number.isInteger(mid * 2 ** (K - expOf(mid)));
}

function buildBuckets(pos: Side, neg: Side): Buckets {
  const allMids = [...pos.mids, ...neg.mids]; // never empty: every format has a non-zero value
  const kLo = Math.min(...allMids.map(expOf));
  const kHi = Math.max(expOf(pos.vals[pos.vals.length - 1]), neg.vals.length > 1 ? expOf(neg.vals[neg.vals.length - 1]) : kLo);
  let K = 0;
  while (K <= MAX_K && !allMids.every((m) => aligned(m, K))) K++;
  const n = (kHi - kLo + 1) * 2 ** K;
  if (K > MAX_K || 2 * (n + 2) > MAX_BUCKETS) throw new Error(`lookup table too large (K = ${K}, ${n} buckets per sign)`);
  const stride = n + 2;
  const val = new Float64Array(2 * stride);
  const zero = new Float64Array(2 * stride);
  const tieAt = new Float64Array(2 * stride).fill(NaN);
  const tieVal = new Float64Array(2 * stride);
  for (const [side, off] of [[pos, 0], [neg, stride]] as const) {
    const { vals, mids, tieUp, sign } = side;
    const top = vals[vals.length - 1];
    val[off] = 0;
    val[off + n + 1] = sign * top;
    let c = 0; // midpoints ≤ the bucket start
    for (let b = 1; b <= n; b++) {
      const k = kLo + Math.floor((b - 1) / 2 ** K);
      const start = 2 ** k * (1 + ((b - 1) % 2 ** K) / 2 ** K);
      while (c < mids.length && mids[c] <= start) c++;
      val[off + b] = sign * vals[c];
      if (c > 0 && mids[c - 1] === start && !tieUp[c - 1]) {
        tieAt[off + b] = start;
        tieVal[off + b] = sign * vals[c - 1];
      }
    }
    for (let b = 0; b < stride; b++) zero[off + b] = val[off + b] === 0 ? 1 : 0;
  }
  return { shift: 20 - K, keyBase: (kLo + 1023) * 2 ** K - 1, last: n + 1, stride, val, zero, tieAt, tieVal };
}

/**
 * The magnitude above which an element counts as clipped: the top value plus half the last
 * step (e4m3: 496, int8: 127.5), i.e. where rounding with an unbounded range would leave the
 * format. Below it the error is ordinary rounding error.
 */
function clipBoundary(side: Side): number {
  const v = side.vals;
  const top = v[v.length - 1];
  return v.length > 1 ? top + (top - v[v.length - 2]) / 2 : top;
}

/** Running sums of one quantization: Σx², Σ(x − x̂)², counts. Reused, never reallocated per element. */
export interface QuantSums {
  /** Elements quantized (non-finite ones skipped). */
  n: number;
  /** Σ x². */
  signal: number;
  /** Σ (x − x̂)². */
  noise: number;
  /** Elements beyond the format's range by more than half its last step (see {@link clipBoundary}). */
  clipped: number;
  /** Non-zero elements that became zero. */
  flushed: number;
}

/** A fresh, zeroed {@link QuantSums}. */
export function emptySums(): QuantSums {
  return { n: 0, signal: 0, noise: 0, clipped: 0, flushed: 0 };
}

/** Exact quantize–dequantize into one format, through lookup tables. Build with {@link quantizerFor}. */
export class Quantizer {
  /** The format. */
  readonly format: Format;
  /** The symmetric range: the largest magnitude both signs reach (127 for int8, 480 for e4m3; the positive max for uint). */
  readonly rangeMax: number;
  /** Table entries (both signs); at most 2^22, e.g. 1.1 M for int16, 67 K for e8m7, 20 for e2m1. */
  readonly tableSize: number;
  private readonly pos: Side;
  private readonly neg: Side;
  private readonly buckets: Buckets;

  constructor(format: Format) {
    this.format = format;
    const posMags = new Set<number>([0]);
    const negMags = new Set<number>([0]);
    for (let c = 0; c < format.codeCount; c++) {
      const v = format.value(c);
      if (!Number.isFinite(v)) continue;
      if (v > 0) posMags.add(v);
      else if (v < 0) negMags.add(-v);
    }
    this.pos = buildSide(format, posMags, 1);
    this.neg = buildSide(format, negMags, -1);
    this.buckets = buildBuckets(this.pos, this.neg);
    this.tableSize = this.buckets.val.length;
    const posTop = this.pos.vals[this.pos.vals.length - 1];
    const negTop = this.neg.vals[this.neg.vals.length - 1];
    this.rangeMax = format.signed ? Math.min(posTop, negTop) : posTop;
  }

  /** `value(encode(y))` as a number (−0 as 0) for a finite real y in the format's units: saturating, exact RNE. */
  roundValue(y: number): number {
    const out = new Float64Array(1);
    this.run(Float64Array.of(y), 0, 1, 1, emptySums(), out);
    return out[0] === 0 ? 0 : out[0];
  }

  /**
   * Quantize–dequantize `src[start..end)` with one scale: x̂ = s · value(encode(x / s)).
   * Adds into `sums`; writes x̂ into `dst` (same indexing) when given. Non-finite x are skipped
   * (and written as NaN). `scale` must be positive and finite.
   */
  run(src: Float64Array, start: number, end: number, scale: number, sums: QuantSums, dst?: Float64Array): void {
    runBuckets(this.buckets, this.pos, this.neg, src, start, end, scale, sums, dst);
  }
}

/** The bucket-table inner loop: one table lookup per element, no allocation, no unpredictable branch. */
function runBuckets(
  t: Buckets,
  pos: Side,
  neg: Side,
  src: Float64Array,
  start: number,
  end: number,
  scale: number,
  sums: QuantSums,
  dst?: Float64Array,
): void {
  const { shift, keyBase, last, stride, val, zero, tieAt, tieVal } = t;
  const tops = Float64Array.of(clipBoundary(pos), clipBoundary(neg));
  const scratch = SCRATCH;
  const scratchHi = SCRATCH_HI;
  let n = 0;
  let signal = 0;
  let noise = 0;
  let clipped = 0;
  let zeros = 0;
  let exactZeros = 0;
  for (let i = start; i < end; i++) {
    const x = src[i];
    if (x - x !== 0) {
      if (dst) dst[i] = NaN;
      continue;
    }
    const y = x / scale;
    scratch[0] = y;
    const word = scratchHi[0];
    const sgn = word >>> 31;
    const b = Math.max(0, Math.min(last, ((word & 0x7fffffff) >>> shift) - keyBase)) + sgn * stride;
    let r = val[b];
    let z = zero[b];
    const a = Math.abs(y);
    if (a === tieAt[b]) {
      r = tieVal[b];
      z = r === 0 ? 1 : 0;
    }
    if (a > tops[sgn]) clipped++;
    if (x === 0) exactZeros++;
    zeros += z;
    const xh = r * scale;
    const e = x - xh;
    n++;
    signal += x * x;
    noise += e * e;
    if (dst) dst[i] = xh;
  }
  sums.n += n;
  sums.signal += signal;
  sums.noise += noise;
  sums.clipped += clipped;
  sums.flushed += zeros - exactZeros;
}

const CACHE = new Map<string, Quantizer>();

/** The (cached) quantizer of a format spec or {@link Format}. */
export function quantizerFor(fmt: string | Format): Quantizer {
  const format = typeof fmt === 'string' ? parseFormat(fmt) : fmt;
  let q = CACHE.get(format.spec);
  if (!q) {
    q = new Quantizer(format);
    CACHE.set(format.spec, q);
  }
  return q;
}
