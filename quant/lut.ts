/**
 * The fast exact quantizer: a format's round-to-nearest-even, saturating `encode` followed by
 * `value`, over typed arrays (no per-element allocation, no BigInt).
 *
 * Inside one binade [2^k, 2^(k+1)) the values of a minifloat or integer format are the multiples
 * of one quantum q_k (2^(max(k, emin) − M) for a minifloat, where the subnormals continue the
 * lowest normal binade's grid; 1 for an integer), and the format's ties-to-even is the tie to an
 * even multiple of q_k (an even mantissa field, or an even integer). The double-precision adder
 * rounds to nearest-even too, so for a magnitude a in binade k, (a + C_k) − C_k with
 * C_k = q_k · 2^52 is a rounded to the format's grid, exactly; clamping to the largest magnitude
 * of the sign then saturates. The lookup table is C_k per binade, indexed by the exponent bits
 * of the double.
 *
 * Each table is checked when it is built: every representable magnitude must round to itself,
 * and every midpoint between neighbours (and the doubles on either side of it) must go where
 * `Format.encode` sends it, so a format whose grid or ties did not follow this rule would throw
 * rather than quantize wrongly. `test/quant/lut.test.ts` checks the quantizer against `encode`
 * on every value, midpoint and neighbouring double of 32 formats and on random inputs.
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

/** The neighbouring double of a finite x, upward or downward. */
function nextAfter(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] += (x > 0) === up ? 1n : -1n;
  return b[0];
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

/** Exact quantize–dequantize into one format, through a table of per-binade rounding constants. Build with {@link quantizerFor}. */
export class Quantizer {
  /** The format. */
  readonly format: Format;
  /** The symmetric range: the largest magnitude both signs reach (127 for int8, 480 for e4m3; the positive max for uint). */
  readonly rangeMax: number;
  /** Entries of the rounding table (one per binade from below the smallest value to above the largest). */
  readonly tableSize: number;
  private readonly pos: Side;
  private readonly neg: Side;
  /** C_k = q_k · 2^52 for binade kLo + i. */
  private readonly magic: Float64Array;
  /** (kLo + 1023): the biased exponent of the first table entry. */
  private readonly base: number;
  /** Largest magnitude per sign [positive, negative]. */
  private readonly tops: Float64Array;
  /** Clip boundary per sign (see {@link clipBoundary}). */
  private readonly clipAt: Float64Array;
  /** Per sign and binade (index bin + sign · table size): a midpoint whose tie the adder gets wrong, else NaN. */
  private readonly fixAt: Float64Array;
  /** The value `encode` gives that midpoint. */
  private readonly fixVal: Float64Array;

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
    const posTop = this.pos.vals[this.pos.vals.length - 1];
    const negTop = this.neg.vals[this.neg.vals.length - 1];
    this.rangeMax = format.signed ? Math.min(posTop, negTop) : posTop;
    this.tops = Float64Array.of(posTop, negTop);
    this.clipAt = Float64Array.of(clipBoundary(this.pos), clipBoundary(this.neg));
    const emin = format.kind === 'int' ? 0 : 1 - format.bias;
    const expOf = (x: number): number => ((hiWord(x) >>> 20) & 0x7ff) - 1023;
    // Every binade below emin has the subnormal quantum; 64 of them keep the index clamp (a
    // branch) rare even for formats whose smallest value is coarse, such as e2m1 or int4.
    const kLo = emin - 64;
    const kHi = expOf(Math.max(posTop, negTop)) + 1;
    this.magic = new Float64Array(kHi - kLo + 1);
    for (let i = 0; i < this.magic.length; i++) {
      const quantum = format.kind === 'int' ? 1 : 2 ** (Math.max(kLo + i, emin) - format.mantissaBits);
      this.magic[i] = quantum * 2 ** 52;
    }
    this.base = kLo + 1023;
    this.tableSize = this.magic.length;
    this.fixAt = new Float64Array(2 * this.tableSize).fill(NaN);
    this.fixVal = new Float64Array(2 * this.tableSize);
    this.fixTies(this.pos, 0);
    this.fixTies(this.neg, 1);
    this.verify(this.pos);
    this.verify(this.neg);
  }

  /**
   * Record the midpoints whose tie the adder's even-multiple rule sends the other way from
   * `encode`. That happens only without mantissa bits (ExM0), where ml_dtypes' ties-to-even is on
   * the code, i.e. the even exponent: 3 → 2 but 6 → 8 in e2m0/e3m0. One per binade at most.
   */
  private fixTies(side: Side, sgn: 0 | 1): void {
    const { vals, mids, tieUp, sign } = side;
    const got = new Float64Array(mids.length);
    this.run(mids.map((m) => sign * m), 0, mids.length, 1, emptySums(), got);
    mids.forEach((m, i) => {
      const want = tieUp[i] ? vals[i + 1] : vals[i];
      if (Math.abs(got[i]) === want) return;
      const bin = Math.max(0, Math.min(this.tableSize - 1, ((hiWord(m) & 0x7fffffff) >>> 20) - this.base));
      const at = bin + sgn * this.tableSize;
      if (!Number.isNaN(this.fixAt[at])) throw new Error(`${this.format.spec}: two ties to fix in one binade`);
      this.fixAt[at] = m;
      this.fixVal[at] = want;
    });
  }

  /** Throw unless every value of a side rounds to itself and every midpoint (and its neighbours) as `encode` does. */
  private verify(side: Side): void {
    const { vals, mids, tieUp, sign } = side;
    const ys: number[] = [];
    const want: number[] = [];
    vals.forEach((v) => (ys.push(sign * v), want.push(v)));
    mids.forEach((m, i) => {
      ys.push(sign * nextAfter(m, false), sign * m, sign * nextAfter(m, true));
      want.push(vals[i], tieUp[i] ? vals[i + 1] : vals[i], vals[i + 1]);
    });
    const out = new Float64Array(ys.length);
    this.run(Float64Array.from(ys), 0, ys.length, 1, emptySums(), out);
    const bad = ys.findIndex((_, i) => Math.abs(out[i]) !== want[i]);
    if (bad >= 0) throw new Error(`${this.format.spec}: the rounding table sends ${ys[bad]} to ${out[bad]}, encode to ${sign * want[bad]}`);
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
    const magic = this.magic;
    const last = magic.length - 1;
    const size = magic.length;
    const fixAt = this.fixAt;
    const fixVal = this.fixVal;
    const base = this.base;
    const tops = this.tops;
    const clipAt = this.clipAt;
    const signedScale = Float64Array.of(scale, -scale);
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
      const bin = Math.max(0, Math.min(last, ((word & 0x7fffffff) >>> 20) - base));
      const a = Math.abs(y);
      const c = magic[bin];
      let r = a + c - c; // the adder's round-to-nearest-even onto the binade's grid
      const top = tops[sgn];
      if (r > top) r = top;
      const fix = bin + sgn * size;
      if (a === fixAt[fix]) r = fixVal[fix];
      if (a > clipAt[sgn]) clipped++;
      scratch[0] = r;
      zeros += (scratchHi[0] - 1) >>> 31; // 1 exactly when r is +0 (every non-zero r has a non-zero high word)
      if (x === 0) exactZeros++;
      const xh = r * signedScale[sgn];
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
