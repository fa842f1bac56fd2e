/**
 * The widths of the float-result converter (contract §2, Float result), worked out once from the
 * accumulator (width W, LSB 2^-F) and the result format R. The golden model never needs them; the
 * RTL converter (`generators/rtl/result.ts`) reads them and computes no width of its own.
 *
 * The converter works on X = {Z zeros, |acc|, B zeros}: the accumulator's magnitude, padded so
 * that (a) the position of R's smallest normal exponent emin lies inside X, and (b) X holds at
 * least M + 2 bits (significand and guard). Bit i of X has the value 2^(i - F - B).
 * Normalizing shifts X left by s = min(leading zeros, sMax), where sMax is the shift that puts
 * emin's position at the top: shifting further would go below emin, which is where subnormals
 * begin, so the clamp produces them with no separate path.
 */
import type { Format } from '../formats/format.ts';
import { bitLength } from '../util/bigint.ts';

/** Every width of one unit's converter from acc to R. */
export interface ResultShape {
  /** Whether every value the accumulator can hold rounds to ±0 in R (|acc · 2^-F| ≤ half R's smallest subnormal). */
  readonly allZero: boolean;
  /** Zero bits above |acc| in X: > 0 only when every accumulator value is below R's min normal. */
  readonly padTop: number;
  /** Zero bits below |acc| in X, so that X has at least M + 2 bits. */
  readonly padBottom: number;
  /** Width N of X: padTop + W + padBottom. */
  readonly width: number;
  /** Largest normalizing shift: the position of emin counted from the top of X (may exceed N − 1). */
  readonly shiftMax: number;
  /** Bits of the shift amount: enough for min(N − 1, sMax). */
  readonly shiftBits: number;
  /**
   * Whether the clamp alone takes X = 0 to exponent part 0 (sMax ≤ N − 1: zero shifts all the way
   * to sMax). Otherwise every non-zero X is normal, so the hidden bit tells zero apart and masks it.
   */
  readonly zeroByClamp: boolean;
  /** The exponent field the top bit of X would have unshifted: C = N − 1 − F − B + bias. */
  readonly topField: number;
  /** Bits of the exponent part C − 1 − s (0 ≤ it ≤ C − 1). */
  readonly expBits: number;
  /** Bits of the code magnitude before and after rounding: expBits + M + 1 (room for the round carry). */
  readonly codeBits: number;
  /**
   * Whether a value the accumulator can hold can round past R's max (then overflow logic is
   * needed). |acc · 2^-F| ≤ 2^hiExp, a power of two that R's unbounded exponent holds exactly, and
   * rounding never passes the next power of two: so overflow is possible exactly when 2^hiExp > max.
   */
  readonly canOverflow: boolean;
}

/** The converter's widths for an accumulator of `accWidth` bits with LSB 2^-accFrac, into R. */
export function resultShape(accWidth: number, accFrac: number, r: Format): ResultShape {
  const M = r.mantissaBits;
  const emin = 1 - r.bias;
  // |acc| ≤ 2^(W-1) (the most negative code), so the value is at most 2^hiExp.
  const hiExp = accWidth - 1 - accFrac;
  // R's smallest quantum is 2^(emin - M); half of it or less rounds to zero (a tie goes to the even code 0).
  const allZero = hiExp <= emin - M - 1;
  // Position of emin in |acc| (bit i is 2^(i - F)); pad on top until it lies inside.
  const kminMag = emin + accFrac;
  const padTop = allZero ? 0 : Math.max(0, kminMag - (accWidth - 1));
  const padBottom = Math.max(0, M + 2 - (accWidth + padTop));
  const width = padTop + accWidth + padBottom;
  const kmin = kminMag + padBottom;
  const shiftMax = width - 1 - kmin;
  const shiftCap = Math.min(width - 1, shiftMax);
  const topField = width - 1 - accFrac - padBottom + r.bias;
  const expBits = Math.max(1, bitLength(BigInt(Math.max(topField - 1, 0))));
  const codeBits = expBits + M + 1;
  // 2^hiExp > maxUnits · 2^lsb, compared in R's units without leaving the integers
  const canOverflow = !allZero && hiExp >= r.lsbExponent && 1n << BigInt(hiExp - r.lsbExponent) > r.maxUnits;
  return Object.freeze({
    allZero,
    padTop,
    padBottom,
    width,
    shiftMax,
    shiftBits: bitLength(BigInt(Math.max(shiftCap, 0))),
    zeroByClamp: shiftMax <= width - 1,
    topField,
    expBits,
    codeBits,
    canOverflow,
  });
}
