/**
 * Multi-operand addition for the lane sum: a column-compression tree of 6:3 counters (each
 * output a 6-input function: one LUT6 apiece) and full adders, then one carry-propagate adder.
 *
 * Written as a `+` chain, Yosys merges the lane sum into one $macc and maps it as a LUT
 * compressor of its own; measured on xc7 for 16 lanes alone, this tree takes about 40% fewer
 * LUTs (16 × 9 bits: 304 → 180; 16 × 37 bits: 1255 → 727). In a whole unit it does not always
 * win, so `useCompressor` picks it per configuration.
 */
import type { Arch } from '../config/mac-config.ts';
import { type Body, type Sig, add, bit, cat, lit, not, orAll } from './signal.ts';

/**
 * Whether a lane sum goes through the compressor tree: only where it measured smaller on xc7.
 * It wins for many narrow products (int4 × 16 lanes: 762 → 551 LUTs; e2m1 × 16: 987 → 818)
 * and loses for few lanes (e2m1 × 4: 204 → 285) or wide shifted products, whose sign-filled
 * structure Yosys's own adder mapping exploits (e4m3 × 16, 37-bit products: 3939 → 4191).
 */
export function useCompressor(lanes: number, productWidth: number, arch: Arch = 'generic'): boolean {
  // With primitives the ternary-adder tree wins everywhere measured (xc7, counters first, then
  // ternary adders → ternary adders alone): e2m1 × 16 804 → 535 LUTs, int4 × 16 517 → 511,
  // int4 × 64 2204 → 2135. So the counter tree serves generic RTL only.
  if (arch !== 'generic') return false;
  return lanes >= 8 && productWidth <= 16;
}

/** The 6-bit population count as a case table, so synthesis sees a LUT function and not arithmetic. */
function pc6Function(): string {
  const rows = Array.from({ length: 64 }, (_, x) => {
    const ones = x.toString(2).split('').filter((d) => d === '1').length;
    return `            6'd${x}: pc6 = 3'd${ones};`;
  });
  return ['function [2:0] pc6;', '    input [5:0] x;', '    begin', '        case (x)', ...rows, "            default: pc6 = 3'd0;", '        endcase', '    end', 'endfunction'].join('\n');
}

/**
 * The sum of equal-width signed values, exact modulo 2^width (the caller sizes `width` so the
 * true sum fits). Sign extension is removed with x = (x with its MSB inverted) − 2^(w−1), so
 * every row is w bits plus one constant row, −L·2^(w−1) mod 2^width.
 */
export function compressorSum(b: Body, values: readonly Sig[], width: number): Sig {
  const [r0, r1] = compressorRows(b, values, width);
  return add(r0, r1);
}

/** The counter tree of {@link compressorSum} without its final adder: two `width`-bit rows whose sum modulo 2^width is the sum. */
export function compressorRows(b: Body, values: readonly Sig[], width: number): [Sig, Sig] {
  const w = values[0].width;
  if (values.some((v) => v.width !== w)) throw new Error('rtl width check: compressor rows of different widths');
  let cols: Sig[][] = Array.from({ length: width }, () => []);
  for (const v of values) for (let j = 0; j < w; j++) cols[j].push(j === w - 1 ? not(bit(v, j)) : bit(v, j));
  const span = 1n << BigInt(width);
  const constant = (((-BigInt(values.length) << BigInt(w - 1)) % span) + span) % span;
  for (let j = 0; j < width; j++) if ((constant >> BigInt(j)) & 1n) cols[j].push(lit(1, 1));

  b.comment(`lane sum: ${values.length} rows of ${w} bits in a 6:3-counter tree, then one adder`);
  b.stmt(pc6Function());
  const dropped: Sig[] = [];
  let k = 0;
  while (cols.some((c) => c.length > 2)) {
    const next: Sig[][] = Array.from({ length: width }, () => []);
    const place = (j: number, s: Sig) => (j < width ? next[j].push(s) : dropped.push(s));
    cols.forEach((col, j) => {
      let i = 0;
      while (col.length - i >= 4) {
        const take = col.slice(i, i + 6);
        i += take.length;
        while (take.length < 6) take.push(lit(1, 0));
        const q = b.wire(`cq${k++}`, { expr: `pc6(${cat(...take).expr})`, width: 3 });
        [0, 1, 2].forEach((t) => place(j + t, bit(q, t)));
      }
      if (col.length - i === 3) {
        const [x, y, z] = col.slice(i, i + 3);
        i += 3;
        place(j, b.wire(`cs${k}`, { expr: `${x.expr} ^ ${y.expr} ^ ${z.expr}`, width: 1 }));
        place(j + 1, b.wire(`cc${k++}`, { expr: `(${x.expr} & ${y.expr}) | (${x.expr} & ${z.expr}) | (${y.expr} & ${z.expr})`, width: 1 }));
      }
      while (i < col.length) next[j].push(col[i++]);
    });
    cols = next;
  }
  // Carries out of the top column are multiples of 2^width: dropped, as the sum is modulo 2^width.
  if (dropped.length) b.unused('lane_sum_carries', orAll(dropped), 'carries beyond the sum width (the sum is exact modulo 2^width)');
  const row = (r: number) => b.wire(`csum${r}`, cat(...cols.map((c) => c[r] ?? lit(1, 0)).reverse()));
  return [row(0), row(1)];
}
