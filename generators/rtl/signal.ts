/**
 * A small width-checked signal helper for building Verilog-2001 datapaths in TypeScript.
 *
 * A {@link Sig} is a Verilog expression with a known width. Every helper checks the widths of
 * what it combines and throws on a mismatch, so generated code never relies on Verilog's
 * implicit extension or truncation (and stays clean under `verilator -Wall`). Helpers only
 * format; the datapath builder decides what to compute.
 */

/** A Verilog expression of a known width; `name` is set when it is a declared net or reg. */
export interface Sig {
  readonly expr: string;
  readonly width: number;
  readonly name?: string;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(`rtl width check: ${msg}`);
}

function paren(s: Sig): string {
  return s.name !== undefined || /^[\w']+$/.test(s.expr) || /^\{.*\}$/.test(s.expr) ? s.expr : `(${s.expr})`;
}

/** A declared signal of a given width. */
export function named(name: string, width: number): Sig {
  check(width >= 1, `${name} has width ${width}`);
  return { expr: name, width, name };
}

/** A sized constant; negative values are written in two's complement. */
export function lit(width: number, value: bigint | number): Sig {
  check(width >= 1, `literal width ${width}`);
  let v = BigInt(value);
  if (v < 0n) v += 1n << BigInt(width);
  check(v >= 0n && v < 1n << BigInt(width), `literal ${value} does not fit ${width} bits`);
  return { expr: width <= 32 ? `${width}'d${v}` : `${width}'h${v.toString(16)}`, width };
}

/** Bits hi..lo of a declared signal. */
export function slice(s: Sig, hi: number, lo: number): Sig {
  check(s.name !== undefined, `slice of an expression '${s.expr}'`);
  check(lo >= 0 && hi >= lo && hi < s.width, `slice [${hi}:${lo}] of ${s.expr}[${s.width - 1}:0]`);
  if (lo === 0 && hi === s.width - 1) return s;
  return { expr: hi === lo ? `${s.name}[${hi}]` : `${s.name}[${hi}:${lo}]`, width: hi - lo + 1 };
}

/** One bit of a declared signal. */
export function bit(s: Sig, i: number): Sig {
  return slice(s, i, i);
}

/** The most significant bit (the sign of a two's-complement value). */
export function msb(s: Sig): Sig {
  return bit(s, s.width - 1);
}

/** Concatenation, most significant first. */
export function cat(...parts: Sig[]): Sig {
  check(parts.length > 0, 'empty concatenation');
  if (parts.length === 1) return parts[0];
  return { expr: `{${parts.map((p) => p.expr).join(', ')}}`, width: parts.reduce((n, p) => n + p.width, 0) };
}

/** `n` copies of a 1-bit signal. */
export function rep(n: number, b: Sig): Sig {
  check(b.width === 1, `replicating ${b.width}-bit ${b.expr}`);
  check(n >= 1, `replicating ${n} times`);
  return n === 1 ? b : { expr: `{${n}{${b.expr}}}`, width: n };
}

/** Zero-extend to `w` bits (w ≥ width). */
export function zext(s: Sig, w: number): Sig {
  check(w >= s.width, `zext of ${s.width} bits to ${w}`);
  return w === s.width ? s : cat(lit(w - s.width, 0), s);
}

/** Sign-extend a declared signal to `w` bits (w ≥ width). */
export function sext(s: Sig, w: number): Sig {
  check(w >= s.width, `sext of ${s.width} bits to ${w}`);
  return w === s.width ? s : cat(rep(w - s.width, msb(s)), s);
}

function binary(op: string, a: Sig, b: Sig): Sig {
  check(a.width === b.width, `${a.expr} (${a.width}) ${op} ${b.expr} (${b.width})`);
  return { expr: `${paren(a)} ${op} ${paren(b)}`, width: a.width };
}

/** a + b, both of the result width (carry out is dropped: size operands so it cannot happen). */
export function add(a: Sig, b: Sig): Sig {
  return binary('+', a, b);
}

/** a - b, both of the result width. */
export function sub(a: Sig, b: Sig): Sig {
  return binary('-', a, b);
}

/** Unsigned product; both operands must already have the result width. */
export function mul(a: Sig, b: Sig): Sig {
  return binary('*', a, b);
}

/** Signed product of two two's-complement values; the result is a.width + b.width bits. */
export function smul(a: Sig, b: Sig): Sig {
  return { expr: `$signed(${a.expr}) * $signed(${b.expr})`, width: a.width + b.width };
}

/** Bitwise and. */
export function and(a: Sig, b: Sig): Sig {
  return binary('&', a, b);
}

/** Bitwise or. */
export function or(a: Sig, b: Sig): Sig {
  return binary('|', a, b);
}

/** Bitwise xor. */
export function xor(a: Sig, b: Sig): Sig {
  return binary('^', a, b);
}

/** Bitwise not. */
export function not(a: Sig): Sig {
  return { expr: `~${paren(a)}`, width: a.width };
}

/** Or of all bits (1 bit). */
export function anyBit(a: Sig): Sig {
  return a.width === 1 ? a : { expr: `|${paren(a)}`, width: 1 };
}

/** And of all bits (1 bit). */
export function allBits(a: Sig): Sig {
  return a.width === 1 ? a : { expr: `&${paren(a)}`, width: 1 };
}

/** sel ? t : f, with t and f of equal width. */
export function mux(sel: Sig, t: Sig, f: Sig): Sig {
  check(sel.width === 1, `mux select ${sel.expr} has width ${sel.width}`);
  check(t.width === f.width, `mux arms ${t.expr} (${t.width}) and ${f.expr} (${f.width})`);
  return { expr: `${paren(sel)} ? ${paren(t)} : ${paren(f)}`, width: t.width };
}

/** Logical left shift by a (unsigned) amount; the result keeps the operand's width. */
export function shl(a: Sig, amount: Sig): Sig {
  return { expr: `${paren(a)} << ${paren(amount)}`, width: a.width };
}

/** Two's-complement negation, same width. */
export function neg(a: Sig): Sig {
  return add(not(a), lit(a.width, 1));
}

/** Or of several 1-bit signals (constant 0 when there are none). */
export function orAll(bits: Sig[]): Sig {
  if (bits.length === 0) return lit(1, 0);
  bits.forEach((b) => check(b.width === 1, `orAll of ${b.width}-bit ${b.expr}`));
  return bits.length === 1 ? bits[0] : { expr: bits.map(paren).join(' | '), width: 1 };
}

/** Declarations and statements of one module body, in order. */
export class Body {
  private readonly lines: string[] = [];
  private readonly names = new Set<string>();

  /** Claim a name, throwing on a duplicate. */
  private claim(name: string): void {
    check(!this.names.has(name), `duplicate signal ${name}`);
    this.names.add(name);
  }

  /** Declare `wire name = s` and return it as a named signal. */
  wire(name: string, s: Sig, comment?: string): Sig {
    this.claim(name);
    if (comment) this.lines.push(`// ${comment}`);
    this.lines.push(`wire ${range(s.width)}${name} = ${s.expr};`);
    return named(name, s.width);
  }

  /** Declare a reg of a width (assigned in an always block added with `stmt`). */
  reg(name: string, width: number, comment?: string): Sig {
    this.claim(name);
    if (comment) this.lines.push(`// ${comment}`);
    this.lines.push(`reg  ${range(width)}${name};`);
    return named(name, width);
  }

  /** Declare a wire driven by an instance output. */
  net(name: string, width: number): Sig {
    this.claim(name);
    this.lines.push(`wire ${range(width)}${name};`);
    return named(name, width);
  }

  /** Mark bits as intentionally unused (Verilator's `*unused*` naming convention keeps -Wall quiet). */
  unused(name: string, s: Sig, why: string): void {
    this.wire(`unused_${name}`, anyBit(s), `unused on purpose: ${why}`);
  }

  /** Append raw statements (always blocks, instances) already formatted by a template or builder. */
  stmt(text: string): void {
    this.lines.push(...text.split('\n'));
  }

  /** Append a comment line. */
  comment(text: string): void {
    this.lines.push(`// ${text}`);
  }

  /** The body's lines. */
  text(): string[] {
    return [...this.lines];
  }
}

/** `[w-1:0] ` for a vector, '' for a single bit. */
export function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0] `;
}

/** Non-blocking register update: `name <= expr;`, width-checked. */
export function assignReg(target: Sig, value: Sig): string {
  check(target.width === value.width, `${target.expr} (${target.width}) <= ${value.expr} (${value.width})`);
  return `${target.expr} <= ${value.expr};`;
}
