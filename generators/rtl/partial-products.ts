/**
 * Partial products into the lane sum (`--arch`, integer × integer dot products): instead of a
 * multiplier per lane whose product then enters the adder tree, each lane forms its partial-
 * product rows a·w_j·2^j and adds them in pairs with primitive adders whose LUTs also compute
 * the AND gates (and the inversion of the negative top row of a signed w). A lane hands the
 * lane sum ceil(nw / 2) exact rows, each at its own bit offset, and the tree adds every lane's
 * rows together: the multiplier's own final adders become part of the tree.
 *
 * The rows, for w of nw bits (w_(nw-1) has weight -2^(nw-1) when w is signed) and a of na bits
 * (sign-extended; a uint gets 0 above): R_k = r_(2k) + 2·r_(2k+1) at offset 2k, where r_j =
 * w_j ? a : 0, and a negative row enters as ~x + 1 (its carry in). Each R_k is na + 2 bits:
 * |r_(2k) ± 2 r_(2k+1)| < 3·2^(na-1).
 */
import type { MacConfig } from '../config/mac-config.ts';
import type { Body, Sig } from './signal.ts';
import { add2, constTerm, type BitTerm } from './primitives.ts';
import { multipliesCodes } from './product.ts';
import { stagePlan } from './pipeline-plan.ts';

/** One partial-product row of a lane: its width and its bit offset on the accumulator grid. */
export interface RowShape {
  readonly width: number;
  readonly offset: number;
}

/**
 * Whether integer lanes hand their partial-product rows to the lane sum: a primitive arch, two
 * or more lanes, integer codes, an exact grid (no product bit dropped, so rows may be summed
 * before any rounding), and no register between the lanes and the lane sum.
 */
export function usesPartialProducts(cfg: MacConfig): boolean {
  const plan = stagePlan(cfg);
  return cfg.arch !== 'generic' && cfg.lanes >= 2 && multipliesCodes(cfg) && cfg.alignShift <= 0 && !plan.inLane && !plan.afterLanes;
}

/** The rows one lane hands over, in order: R_k at offset 2k - alignShift. */
export function rowShapes(cfg: MacConfig): RowShape[] {
  const nw = cfg.w.bits;
  const na = cfg.a.bits + (cfg.a.signed ? 0 : 1);
  const rows: RowShape[] = [];
  for (let k = 0; 2 * k < nw; k++) rows.push({ width: na + 2, offset: 2 * k - cfg.alignShift });
  return rows;
}

/** Build one lane's rows into `b` from the codes on ports `a` and `w`; assigns the output ports `pp<k>`. */
export function buildRows(cfg: MacConfig, b: Body): void {
  const nw = cfg.w.bits;
  const aBit = (i: number): Sig | null => {
    // a sign-extended (signed) or zero-extended (uint): null stands for a constant 0.
    if (i < 0) return null;
    if (i < cfg.a.bits) return { expr: `a[${i}]`, width: 1 };
    return cfg.a.signed ? { expr: `a[${cfg.a.bits - 1}]`, width: 1 } : null;
  };
  const wBit = (j: number): Sig => ({ expr: `w[${j}]`, width: 1 });
  // Row r_j's bit i: a_i & w_j, inverted for the negative top row of a signed w.
  const negative = (j: number) => cfg.w.signed && j === nw - 1;
  const ppTerm = (i: number, j: number, shift: number): BitTerm => {
    const ai = aBit(i - shift);
    if (negative(j)) {
      // ~(x << shift): the shifted-in low bits of ~x are 1, the rest ~(a_i & w_j).
      if (i < shift) return constTerm(1);
      return ai ? { ins: [ai, wBit(j)], f: (v) => (v[0] & v[1]) ^ 1 } : constTerm(1);
    }
    return ai ? { ins: [ai, wBit(j)], f: (v) => v[0] & v[1] } : constTerm(0);
  };
  rowShapes(cfg).forEach((shape, k) => {
    const j0 = 2 * k;
    const j1 = j0 + 1;
    const n = shape.width;
    // A negative row enters as ~x + 1: the adder's carry in (a pair holds at most one, the top row).
    const neg = (j1 < nw && negative(j1)) || (j1 >= nw && negative(j0));
    const cin = neg ? { expr: "1'b1", width: 1 } : { expr: "1'b0", width: 1 };
    const row = add2(b, cfg.arch as 'xc7' | 'xcup', `pp${k}_sum`, n, (i) => [ppTerm(i, j0, 0), j1 < nw ? ppTerm(i, j1, 1) : constTerm(0)], cin);
    b.stmt(`assign pp${k} = ${row.expr};`);
  });
}
