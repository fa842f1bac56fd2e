/**
 * The accumulator: the registers `acc` (accWidth = W bits, LSB 2^-accFrac), `ovf` and, when the
 * formats have specials, the sticky flags `nan`, `pinf`, `ninf`. Input: the last pipeline
 * {@link Stage}, whose data is the beat's contribution (CW bits) followed by its flags. Each
 * beat (en) adds the contribution to acc, or to zero when clr is set, exactly in
 * max(W, CW) + 1 bits, then wraps or saturates to W bits (per `overflow`); ovf and the flags
 * are sticky until a clearing beat. rst, and clr without en, zero everything.
 */
import type { MacConfig } from '../config/mac-config.ts';
import { type Body, type Sig, add, allBits, and, anyBit, assignReg, cat, lit, msb, mux, named, not, or, orAll, rep, sext, slice } from './signal.ts';
import { add2, add3, sbit, term, type BitTerm } from './primitives.ts';
import type { Stage } from './pipeline-plan.ts';

/** The exact sum's width: base + contribution in SW = max(W, CW) + 1 bits, so it never wraps before the wrap-or-clamp step. */
export function sumWidth(cfg: MacConfig): number {
  return Math.max(cfg.accWidth, cfg.contributionWidth) + 1;
}

/**
 * Add the accumulator's next-value logic and its always block (acc, ovf, sticky flags) to the
 * top's body `b`, fed by stage `st`: its data is `rows` contribution rows (one exact CW-bit row,
 * or two SW-bit rows summing to it modulo 2^SW), then the flags.
 */
export function accumulator(cfg: MacConfig, b: Body, st: Stage, rows: 1 | 2 = 1, negated = false): void {
  const W = cfg.accWidth;
  const contrib = st.data.slice(0, rows);
  // With `negated` the row is a magnitude and the next item its sign (product.ts, signAbsorbed).
  const neg = negated ? st.data[rows] : null;
  const flags = st.data.slice(rows + (negated ? 1 : 0));

  // Accumulator: base + contribution exactly in SW = max(W, CW) + 1 bits, then wrap or clamp.
  const SW = sumWidth(cfg);
  const acc = named('acc', W);
  let total: Sig;
  if (cfg.arch === 'generic') {
    const base = b.wire('base', mux(st.clr, lit(SW, 0), sext(acc, SW)), 'clr starts a new sum from zero');
    total = b.wire('total', add(base, sext(contrib[0], SW)), `exact sum, ${SW} bits`);
  } else {
    // The old sum's bit, zeroed by clr, is folded into each adder bit's LUT6_2 (primitives.ts).
    const clr = st.clr;
    const base = (i: number): BitTerm => ({ ins: [sbit(acc, i), clr], f: (v) => v[0] & (v[1] ^ 1) });
    b.comment(`accumulator adder: ${SW} bits of LUT6_2 and ${cfg.arch === 'xc7' ? 'CARRY4' : 'CARRY8'}, clr folded into each LUT`);
    const c = contrib[0];
    // A negative magnitude m enters as ~m with a carry in of 1: each bit's B = m_i ^ neg (neg alone above m).
    const negTerm = (i: number): BitTerm => (i < c.width ? { ins: [sbit(c, i), neg!], f: (v) => v[0] ^ v[1] } : term(neg!));
    total =
      neg
        ? add2(b, cfg.arch, 'total', SW, (i) => [base(i), negTerm(i)], neg)
        : rows === 1
        ? add2(b, cfg.arch, 'total', SW, (i) => [base(i), term(sbit(c, i))])
        : add3(b, cfg.arch, 'total', SW, (i) => [base(i), term(sbit(c, i)), term(sbit(contrib[1], i))]);
  }
  const top = slice(total, SW - 1, W - 1);
  const oor = b.wire('out_of_range', not(or(allBits(top), not(anyBit(top)))), 'top bits not all equal to the sign');
  const wrapped = slice(total, W - 1, 0);
  const next =
    cfg.overflow === 'wrap'
      ? wrapped
      : mux(oor, mux(msb(total), cat(lit(1, 1), lit(W - 1, 0)), cat(lit(1, 0), rep(W - 1, lit(1, 1)))), wrapped);
  const accNext = b.wire('acc_next', next, cfg.overflow === 'wrap' ? 'two\'s-complement wrap' : 'saturate');
  const keep = b.wire('keep', not(st.clr), 'sticky flags survive unless this beat clears');
  const flagNames = cfg.hasFlags ? ['nan', 'pinf', 'ninf'] : [];
  const onBeat = [assignReg(acc, accNext), assignReg(named('ovf', 1), or(and(named('ovf', 1), keep), oor))];
  flagNames.forEach((n, k) => onBeat.push(assignReg(named(n, 1), or(and(named(n, 1), keep), flags[k]))));
  const clearAll = [assignReg(acc, lit(W, 0)), ...['ovf', ...flagNames].map((n) => assignReg(named(n, 1), lit(1, 0)))];
  b.stmt(
    [
      // rst, and clr without en, both zero everything: one condition, so it maps onto the
      // flip-flops' synchronous reset instead of a data multiplexer.
      'always @(posedge clk) begin',
      `    if (${orAll([named('rst', 1), and(st.clr, not(st.en))]).expr}) begin`,
      ...clearAll.map((l) => `        ${l}`),
      `    end else if (${st.en.expr}) begin`,
      ...onBeat.map((l) => `        ${l}`),
      '    end',
      'end',
    ].join('\n'),
  );
}
