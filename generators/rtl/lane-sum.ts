/**
 * The lane sum: a beat's L aligned products (alignedWidth bits each, signed, on the accumulator
 * grid) added exactly into the beat's contribution, CW = contributionWidth = alignedWidth +
 * ceil(log2 L) bits. Generic RTL: many narrow products go through the 6:3-counter tree of
 * `compressor.ts` (where {@link useCompressor} measured it smaller), the rest through a `+` chain.
 * With a primitive arch the products go through a tree of ternary adders (`primitives.ts`, one
 * LUT6_2 per bit for three rows), and the tree may stop at two rows for the accumulator's own
 * ternary adder to take (`rows = 2`).
 */
import type { MacConfig } from '../config/mac-config.ts';
import { type Body, type Sig, add, cat, lit, sext, slice } from './signal.ts';
import { compressorSum, useCompressor } from './compressor.ts';
import { add2, add3, constTerm, sbit, term, type BitTerm, type DeviceArch } from './primitives.ts';

/** A row of the lane sum: a signed value whose LSB sits `off` bits up the accumulator grid. */
export interface Row {
  readonly sig: Sig;
  readonly off: number;
}

/**
 * The beat's contribution: the sum of the lanes' rows (their aligned products, at offset 0, or
 * their partial-product rows, partial-products.ts), as one row `contrib` (CW bits, exact). With
 * `pair` (a primitive arch, two or more lanes, no register before the accumulator) it may instead
 * be two rows of `pair` bits each whose sum modulo 2^pair is the contribution, for the
 * accumulator's ternary adder to take (it adds modulo 2^pair anyway).
 */
export function laneSum(cfg: MacConfig, b: Body, rowsIn: readonly Row[], pair?: number): Sig[] {
  const L = cfg.lanes;
  const CW = cfg.contributionWidth;
  if (cfg.arch !== 'generic' && rowsIn.length > 1) {
    const M = pair ?? CW;
    const out = ternaryTree(b, cfg.arch, rowsIn, M, pair ? 2 : 1);
    if (out.length === 1) return [b.wire('contrib', fitTo(b, out[0], CW, 'contrib_top'), `a beat's contribution: ${L} products, ${CW} bits`)];
    return out.map((r, i) => b.wire(`contrib${i}`, fitTo(b, r, M, `contrib${i}_top`), `a beat's contribution, row ${i} of 2 (their sum modulo 2^${M})`));
  }
  const prods = rowsIn.map((r) => r.sig);
  // Lane sum: L aligned products sign-extended to CW = alignedWidth + ceil(log2 L) bits.
  let sum: Sig;
  if (useCompressor(L, cfg.alignedWidth, cfg.arch)) sum = compressorSum(b, prods, CW);
  else {
    sum = sext(prods[0], CW);
    for (let i = 1; i < L; i++) sum = add(sum, sext(prods[i], CW));
  }
  return [b.wire('contrib', sum, `a beat's contribution: ${L} product(s), ${CW} bits`)];
}

/** A row brought to `w` bits at offset 0: its offset filled with zeros, then sign-extended (it is exact then) or cut to its low bits (modulo 2^w). */
function fitTo(b: Body, r: Row, w: number, unusedName: string): Sig {
  const s = r.off > 0 ? b.wire(`${unusedName}_at0`, cat(r.sig, lit(r.off, 0))) : r.sig;
  if (s.width <= w) return sext(s, w);
  b.unused(unusedName, slice(s, s.width - 1, w), 'above the sum width (the sum is modulo 2^width)');
  return slice(s, w - 1, 0);
}

/**
 * Rows reduced to `rows` rows with primitive adders, level by level: three rows into a ternary
 * adder while at least two rows are still to go, two into a binary one when one is. A node spans
 * from its lowest row's offset to its highest row's top plus 2 bits (three signed values) or 1
 * (two), at most bit M - 1; below the second-lowest offset only one row has bits, and they pass
 * through without an adder. Below M every node is exact, so rows are sign-extended into wider
 * nodes; a node reaching M is exact modulo 2^M, as the final sum is.
 */
function ternaryTree(b: Body, arch: DeviceArch, rowsIn: readonly Row[], M: number, rows: 1 | 2): Row[] {
  let level: Row[] = [...rowsIn];
  let depth = 0;
  let k = 0;
  while (level.length > rows) {
    b.comment(`lane sum, level ${depth}: ${level.length} rows to ${Math.max(rows, Math.ceil(level.length / 3))}`);
    const next: Row[] = [];
    let need = level.length - rows; // rows still to remove: a ternary adder removes 2, a binary 1
    let i = 0;
    while (i < level.length) {
      const take = need >= 2 && level.length - i >= 3 ? 3 : need >= 1 && level.length - i >= 2 ? 2 : 1;
      const group = level.slice(i, i + take);
      i += take;
      need -= take - 1;
      next.push(group.length === 1 ? group[0] : addRows(b, arch, `ls${k++}`, group, M));
    }
    level = next;
    depth++;
  }
  return level;
}

/** The exact sum (modulo 2^M) of two or three rows as one row: low bits of the lowest row passed through, the rest through add2/add3. */
function addRows(b: Body, arch: DeviceArch, name: string, group: readonly Row[], M: number): Row {
  const sorted = [...group].sort((x, y) => x.off - y.off);
  const lo = sorted[0].off;
  const start = sorted[1].off; // bits below this are the lowest row's alone
  const top = Math.min(M, Math.max(...group.map((r) => r.off + r.sig.width)) + (group.length === 3 ? 2 : 1));
  const n = top - start;
  if (n < 1) throw new Error(`rtl: lane-sum node ${name} has no bits below 2^${M}`);
  const at = (r: Row, p: number): BitTerm => (p < r.off ? constTerm(0) : term(sbit(r.sig, p - r.off)));
  const sum =
    group.length === 3
      ? add3(b, arch, name, n, (j) => [at(sorted[0], start + j), at(sorted[1], start + j), at(sorted[2], start + j)])
      : add2(b, arch, name, n, (j) => [at(sorted[0], start + j), at(sorted[1], start + j)]);
  if (start === lo) return { sig: sum, off: lo };
  // The lowest row's bits lo .. start - 1 (sign-extended if it is narrower) pass through.
  const low = Array.from({ length: start - lo }, (_, j) => sbit(sorted[0].sig, j)).reverse();
  return { sig: b.wire(`${name}_all`, cat(sum, ...low)), off: lo };
}
