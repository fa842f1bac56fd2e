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
import { type Body, type Sig, add, sext, slice } from './signal.ts';
import { compressorRows, compressorSum, useCompressor } from './compressor.ts';
import { add2, add3, sbit, term, type DeviceArch } from './primitives.ts';

/**
 * The beat's contribution: the sum of the lanes' aligned products `prods`, as one row `contrib`
 * (CW bits, exact). With `pair` (a primitive arch, two or more lanes, no register before the
 * accumulator) it may instead be two rows of `pair` bits each whose sum modulo 2^pair is the
 * contribution, for the accumulator's ternary adder to take (it adds modulo 2^pair anyway).
 */
export function laneSum(cfg: MacConfig, b: Body, prods: readonly Sig[], pair?: number): Sig[] {
  const L = cfg.lanes;
  const CW = cfg.contributionWidth;
  const compress = useCompressor(L, cfg.alignedWidth, cfg.arch);
  if (cfg.arch !== 'generic' && L > 1) {
    const M = pair ?? CW;
    const out = ternaryTree(b, cfg.arch, compress ? compressorRows(b, prods, M) : prods, M, pair ? 2 : 1);
    if (out.length === 1) return [b.wire('contrib', fitTo(b, out[0], CW, 'contrib_top'), `a beat's contribution: ${L} products, ${CW} bits`)];
    return out.map((r, i) => b.wire(`contrib${i}`, fitTo(b, r, M, `contrib${i}_top`), `a beat's contribution, row ${i} of 2 (their sum modulo 2^${M})`));
  }
  // Lane sum: L aligned products sign-extended to CW = alignedWidth + ceil(log2 L) bits.
  let sum: Sig;
  if (compress) sum = compressorSum(b, prods, CW);
  else {
    sum = sext(prods[0], CW);
    for (let i = 1; i < L; i++) sum = add(sum, sext(prods[i], CW));
  }
  return [b.wire('contrib', sum, `a beat's contribution: ${L} product(s), ${CW} bits`)];
}

/** A row brought to `w` bits: sign-extended when narrower (it is exact then), its low bits when wider (modulo 2^w). */
function fitTo(b: Body, s: Sig, w: number, unusedName: string): Sig {
  if (s.width <= w) return sext(s, w);
  b.unused(unusedName, slice(s, s.width - 1, w), 'above the sum width (the sum is modulo 2^width)');
  return slice(s, w - 1, 0);
}

/**
 * Rows reduced to `rows` rows with primitive adders, level by level: three rows into a ternary
 * adder while at least two rows are still to go, two into a binary one when one is. A node is
 * its widest input plus 2 bits (three signed w-bit values need w + 2), or plus 1 for two, at most
 * M. Below M every node is exact, so a narrower input is sign-extended into a wider node; a node
 * at M is exact modulo 2^M, as the final sum is.
 */
function ternaryTree(b: Body, arch: DeviceArch, rowsIn: readonly Sig[], M: number, rows: 1 | 2): Sig[] {
  let level: Sig[] = [...rowsIn];
  let depth = 0;
  let k = 0;
  while (level.length > rows) {
    b.comment(`lane sum, level ${depth}: ${level.length} rows to ${Math.max(rows, Math.ceil(level.length / 3))}`);
    const next: Sig[] = [];
    let need = level.length - rows; // rows still to remove: a ternary adder removes 2, a binary 1
    let i = 0;
    while (i < level.length) {
      const take = need >= 2 && level.length - i >= 3 ? 3 : need >= 1 && level.length - i >= 2 ? 2 : 1;
      const group = level.slice(i, i + take);
      i += take;
      need -= take - 1;
      if (group.length === 1) {
        next.push(group[0]);
        continue;
      }
      const w = Math.min(M, Math.max(...group.map((g) => g.width)) + (group.length === 3 ? 2 : 1));
      const name = `ls${k++}`;
      next.push(
        group.length === 3
          ? add3(b, arch, name, w, (j) => [term(sbit(group[0], j)), term(sbit(group[1], j)), term(sbit(group[2], j))])
          : add2(b, arch, name, w, (j) => [term(sbit(group[0], j)), term(sbit(group[1], j))]),
      );
    }
    level = next;
    depth++;
  }
  return level;
}
