/**
 * Device primitives for `--arch xc7` (7-series) and `--arch xcup` (UltraScale+), instantiated by
 * their UNISIM names so Vivado reads the unit as written: `LUT6_2` with a 64-bit `INIT`, and the
 * carry chain `CARRY4` (xc7) or `CARRY8` with `CARRY_TYPE("SINGLE_CY8")` (xcup). Yosys's
 * `xilinx/cells_sim.v` models them for Verilator and Icarus; Vivado users have UNISIM.
 *
 * Each adder bit is one LUT6_2 feeding the chain: O6 the propagate (A ^ B), O5 a chain operand
 * (DI, taken when the propagate is 0, where A = B). Logic in front of the adder (clr's zeroing
 * of the old sum, the third operand of a ternary adder) is folded into the same LUT, so each bit
 * costs one LUT site whatever it absorbs, where the generic flow spends a second LUT on it.
 *
 * Every net a primitive drives is a scalar wire, so no vector feeds its own bits through a cell
 * (Verilator orders such a vector as one block: UNOPTFLAT).
 */
import type { Arch } from '../config/mac-config.ts';
import { type Body, type Sig, cat, lit } from './signal.ts';
import { renderInstance, type Connection } from './verilog.ts';

/** A primitive arch (not `generic`). */
export type DeviceArch = Exclude<Arch, 'generic'>;

/** The UNISIM cells a unit of this arch instantiates (none for generic): the accumulator adder always uses both. */
export function primitiveCells(arch: Arch): readonly string[] {
  return arch === 'generic' ? [] : arch === 'xc7' ? ['CARRY4', 'LUT6_2'] : ['CARRY8', 'LUT6_2'];
}

/** One operand bit of an adder: a function of at most a few input bits, evaluated into the LUT's INIT. */
export interface BitTerm {
  /** The 1-bit signals it reads. */
  readonly ins: readonly Sig[];
  /** Its value from the values of `ins` (0 or 1 each), in order. */
  readonly f: (v: readonly number[]) => number;
}

/** A plain bit as a term. */
export function term(s: Sig): BitTerm {
  if (s.width !== 1) throw new Error(`rtl width check: a bit term of width ${s.width}`);
  return { ins: [s], f: (v) => v[0] };
}

/** A constant bit as a term (no input). */
export function constTerm(v: 0 | 1): BitTerm {
  return { ins: [], f: () => v };
}

/**
 * A LUT6_2 used as two functions of the same five inputs (I5 tied to 1): INIT[63:32] is O6's
 * table and INIT[31:0] O5's. Unused inputs are tied to 0. Returns the two outputs as 1-bit wires.
 */
export function lut6_2(
  b: Body,
  name: string,
  ins: readonly Sig[],
  o6: (v: readonly number[]) => number,
  o5: (v: readonly number[]) => number,
): { o6: Sig; o5: Sig } {
  if (ins.length > 5) throw new Error(`rtl: LUT6_2 ${name} as two 5-input functions takes at most 5 inputs, not ${ins.length}`);
  let init = 0n;
  for (let x = 0; x < 32; x++) {
    const v = ins.map((_, k) => (x >> k) & 1);
    if (o6(v) & 1) init |= 1n << BigInt(32 + x);
    if (o5(v) & 1) init |= 1n << BigInt(x);
  }
  const out6 = b.net(`${name}_o6`, 1);
  const out5 = b.net(`${name}_o5`, 1);
  const conns: Connection[] = [
    { port: 'O6', signal: out6.expr },
    { port: 'O5', signal: out5.expr },
    ...[0, 1, 2, 3, 4].map((k) => ({ port: `I${k}`, signal: ins[k]?.expr ?? "1'b0" })),
    { port: 'I5', signal: "1'b1" },
  ];
  b.stmt(renderInstance(`LUT6_2 #(.INIT(64'h${init.toString(16).padStart(16, '0')}))`, name, conns));
  return { o6: out6, o5: out5 };
}

/** The distinct signals of several terms, in first-seen order (by expression). */
function inputsOf(terms: readonly BitTerm[]): Sig[] {
  const seen = new Map<string, Sig>();
  for (const t of terms) for (const s of t.ins) if (!seen.has(s.expr)) seen.set(s.expr, s);
  return [...seen.values()];
}

/** A term evaluated on the values of a LUT's inputs `all`. */
function evalTerm(t: BitTerm, all: readonly Sig[], v: readonly number[]): number {
  return t.f(t.ins.map((s) => v[all.findIndex((x) => x.expr === s.expr)])) & 1;
}

/**
 * The carry chain over n bits: propagates `s`, chain operands `di`, carry in `cin`. CARRY4 cells
 * (xc7) or CARRY8 cells (xcup) in a row, CO of the top bit of one into CI of the next; positions
 * past n get S = DI = 0. Returns the n sum bits (O) as one n-bit wire `<name>`.
 */
export function carryChain(b: Body, arch: DeviceArch, name: string, s: readonly Sig[], di: readonly Sig[], cin: Sig): Sig {
  const n = s.length;
  const k = arch === 'xc7' ? 4 : 8;
  const cells = Math.ceil(n / k);
  const sums: Sig[] = [];
  let ci = cin;
  for (let c = 0; c < cells; c++) {
    const bits = Array.from({ length: k }, (_, j) => c * k + j);
    const co = b.net(`${name}_co${c}`, k);
    const o = b.net(`${name}_o${c}`, k);
    const vec = (xs: readonly Sig[]) => cat(...bits.map((i) => (i < n ? xs[i] : lit(1, 0))).reverse());
    const conns: Connection[] = [
      { port: 'CO', signal: co.expr },
      { port: 'O', signal: o.expr },
      { port: 'CI', signal: arch === 'xc7' && c === 0 ? "1'b0" : ci.expr },
      // CARRY4's chain starts at CYINIT (CI is the cascade from the cell below); CARRY8 has CI only.
      ...(arch === 'xc7' ? [{ port: 'CYINIT', signal: c === 0 ? ci.expr : "1'b0" }] : [{ port: 'CI_TOP', signal: "1'b0" }]),
      { port: 'DI', signal: vec(di).expr },
      { port: 'S', signal: vec(s).expr },
    ];
    const cell = arch === 'xc7' ? 'CARRY4' : 'CARRY8 #(.CARRY_TYPE("SINGLE_CY8"))';
    b.stmt(renderInstance(cell, `${name}_cy${c}`, conns));
    bits.forEach((i, j) => {
      if (i < n) sums.push({ expr: `${o.expr}[${j}]`, width: 1 });
    });
    const used = Math.min(k, n - c * k);
    // The last cell's carry out is the adder's carry beyond n bits: not needed, the sums are modulo 2^n.
    if (c === cells - 1) b.unused(`${name}_co`, co, 'the carry out of the top bit (the sum is modulo 2^n)');
    else {
      b.unused(`${name}_co${c}`, { expr: `${co.expr}[${k - 2}:0]`, width: k - 1 }, 'carries inside the cell (its O has the sums)');
      ci = { expr: `${co.expr}[${k - 1}]`, width: 1 };
    }
    if (used < k) b.unused(`${name}_opad`, { expr: `${o.expr}[${k - 1}:${used}]`, width: k - used }, 'chain positions past the top bit');
  }
  return b.wire(name, cat(...[...sums].reverse()), `${n}-bit sum from the carry chain`);
}

/**
 * A two-operand adder, n bits, modulo 2^n: bit i is one LUT6_2 with O6 = A_i ^ B_i and O5 = B_i
 * into the chain, so whatever A_i and B_i compute from their inputs (at most 5 together) is free.
 */
export function add2(b: Body, arch: DeviceArch, name: string, n: number, at: (i: number) => [BitTerm, BitTerm], cin: Sig = lit(1, 0)): Sig {
  const p: Sig[] = [];
  const g: Sig[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = at(i);
    const ins = inputsOf([x, y]);
    const l = lut6_2(b, `${name}_l${i}`, ins, (v) => evalTerm(x, ins, v) ^ evalTerm(y, ins, v), (v) => evalTerm(y, ins, v));
    p.push(l.o6);
    g.push(l.o5);
  }
  return carryChain(b, arch, name, p, g, cin);
}

/**
 * A ternary adder X + Y + Z, n bits, modulo 2^n, in one carry chain: bit i's LUT6_2 computes the
 * carry-save pair of its three bits, O5 = maj(X_i, Y_i, Z_i) (the carry of weight 2^(i+1)) and
 * O6 = X_i ^ Y_i ^ Z_i ^ maj_(i-1); the chain adds the two rows, its operand at bit i being
 * maj_(i-1) (the previous LUT's O5). The three terms and maj_(i-1) read at most 5 inputs.
 */
export function add3(b: Body, arch: DeviceArch, name: string, n: number, at: (i: number) => [BitTerm, BitTerm, BitTerm]): Sig {
  const p: Sig[] = [];
  const di: Sig[] = [];
  let prevMaj: Sig = lit(1, 0);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = at(i);
    // Bit 0 has no carry-save carry below it.
    const carry = i === 0 ? constTerm(0) : term(prevMaj);
    const ins = inputsOf([x, y, z, carry]);
    const ev = (t: BitTerm, v: readonly number[]) => evalTerm(t, ins, v);
    const l = lut6_2(
      b,
      `${name}_l${i}`,
      ins,
      (v) => ev(x, v) ^ ev(y, v) ^ ev(z, v) ^ ev(carry, v),
      (v) => {
        const s = ev(x, v) + ev(y, v) + ev(z, v);
        return s >= 2 ? 1 : 0;
      },
    );
    p.push(l.o6);
    di.push(prevMaj);
    prevMaj = l.o5;
  }
  b.unused(`${name}_maj`, prevMaj, 'the top carry-save carry (the sum is modulo 2^n)');
  return carryChain(b, arch, name, p, di, lit(1, 0));
}

/** Bit i of a signed value sign-extended to any width. */
export function sbit(s: Sig, i: number): Sig {
  const j = Math.min(i, s.width - 1);
  return s.width === 1 ? s : { expr: `${s.expr}[${j}]`, width: 1 };
}
