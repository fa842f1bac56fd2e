/**
 * Alignment: the lane's signed product onto the accumulator grid. {@link fitSigned} resizes a
 * signed value to P = productWidth bits; {@link align} takes the P-bit product (LSB
 * 2^productLsb) and returns it on the grid, alignedWidth bits with LSB 2^-accFrac: shifted
 * right by alignShift (floor drops bits, rne rounds half to even) or left (exact).
 */
import type { MacConfig } from '../config/mac-config.ts';
import { type Body, type Sig, add, and, anyBit, bit, cat, lit, msb, or, sext, slice, zext } from './signal.ts';

/** A signed value resized to `width` bits: sign-extended, or its low bits when it is wider (the caller knows the value fits). */
export function fitSigned(b: Body, s: Sig, width: number): Sig {
  if (s.width <= width) return sext(s, width);
  b.unused(`${s.name}_top`, slice(s, s.width - 1, width), 'every finite product fits below these bits');
  return slice(s, width - 1, 0);
}

/**
 * Put the P-bit signed product on the accumulator grid: shift right by alignShift (floor:
 * drop bits; rne: round half to even) or left (exact).
 */
export function align(cfg: MacConfig, b: Body, prod: Sig): Sig {
  const P = cfg.productWidth;
  const s = cfg.alignShift;
  const AW = cfg.alignedWidth;
  if (s <= 0) return s === 0 ? prod : cat(prod, lit(-s, 0));
  if (cfg.accRound === 'floor') {
    if (s >= P) {
      // Every |product| < 2^(P-1) ≤ 2^(s-1): floor gives -1 for negatives, 0 otherwise.
      b.unused('low', slice(prod, P - 2, 0), 'below the accumulator grid');
      return msb(prod);
    }
    b.unused('low', slice(prod, s - 1, 0), 'below the accumulator grid (floor drops them)');
    return slice(prod, P - 1, s);
  }
  if (s >= P) {
    // |product| < 2^(P-1) ≤ 2^(s-1) is below half an LSB: RNE always gives 0.
    b.unused('low', prod, 'below half an accumulator LSB');
    return lit(1, 0);
  }
  const q = b.wire('q', slice(prod, P - 1, s), 'floor of the product on the grid');
  const guard = bit(prod, s - 1);
  const sticky = s >= 2 ? anyBit(slice(prod, s - 2, 0)) : lit(1, 0);
  const up = b.wire('round_up', and(guard, or(sticky, bit(q, 0))), 'round half to even');
  return add(sext(q, AW), zext(up, AW));
}
