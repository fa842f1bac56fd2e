/**
 * MacConfig: one immutable, validated description of a MAC unit (contract §2), holding every
 * derived width. The golden model, the RTL builders, the simulation harness and the synthesis
 * driver read this value (or the manifest written from it) and never work widths out again.
 */
import { Format, parseFormat, parseResultFormat } from '../formats/format.ts';
import { shown, UsageError } from '../util/errors.ts';
import { decimalInt } from '../util/numbers.ts';
import { resultShape, type ResultShape } from './result-shape.ts';
import { bitLength, ceilLog2 } from '../util/bigint.ts';

/** How a product is put on the accumulator grid when frac < Fexact. */
export type AccRound = 'floor' | 'rne';
/** What the accumulator does when a sum leaves its range. */
export type Overflow = 'wrap' | 'sat';
/** How the float result encodes values past its largest finite magnitude (contract §2, Float result). */
export type ResultOverflow = 'sat' | 'inf';
/** The arithmetic layer: portable RTL, or Xilinx device primitives (LUT6_2 with CARRY4 on 7-series, CARRY8 on UltraScale+). */
export type Arch = 'generic' | 'xc7' | 'xcup';
/** Every arch, default first. */
export const ARCHES: readonly Arch[] = Object.freeze(['generic', 'xc7', 'xcup']);

/** The user's request, as strings and numbers straight from flags or an API call. */
export interface MacRequest {
  fmt?: string;
  afmt?: string;
  wfmt?: string;
  acc?: number | string;
  accFrac?: number | string;
  accRound?: string;
  overflow?: string;
  len?: number | string;
  pipeline?: number | string;
  lanes?: number | string;
  /** Float result format (`--result`): a minifloat spec of up to 32 bits or fp32/bf16/fp16. */
  result?: string;
  /** `--result-overflow sat|inf` (only with `result`). */
  resultOverflow?: string;
  /** `--result-pipeline q`: register stages in the conversion beyond the one `res` always has. */
  resultPipeline?: number | string;
  /** Out-of-context clock period in ns (`--clock-period`); only the XDC uses it. */
  clockPeriod?: number | string;
  /** `--arch generic|xc7|xcup`: portable RTL (default) or Xilinx device primitives. */
  arch?: string;
  name?: string;
}

/** Upper bounds that keep generated RTL sane; documented in the README. */
export const LIMITS = Object.freeze({ accWidth: 4096, lanes: 1024, pipeline: 64, resultPipeline: 16, fracSpan: 4096, clockPsMin: 500, clockPsMax: 1_000_000 });

/** The default out-of-context clock period in picoseconds: 2.5 ns, 400 MHz. */
export const DEFAULT_CLOCK_PS = 2500;

/** Verilog-2001 and SystemVerilog keywords a name must not be (Vivado reads both). */
const KEYWORDS = new Set(
  (
    'always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default defparam ' +
    'design disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive endspecify endtable ' +
    'endtask event for force forever fork function generate genvar highz0 highz1 if ifnone incdir include initial inout ' +
    'input instance integer join large liblist library localparam macromodule medium module nand negedge nmos nor ' +
    'noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup ' +
    'pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 ' +
    'scalared showcancelled signed small specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0 ' +
    'tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor ' +
    'alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte chandle checker class ' +
    'clocking const constraint context continue cover covergroup coverpoint cross dist do endchecker endclass endclocking ' +
    'endgroup endinterface endpackage endprogram endproperty endsequence enum eventually expect export extends extern ' +
    'final first_match foreach forkjoin global iff ignore_bins illegal_bins implements implies import inside int ' +
    'interconnect interface intersect join_any join_none let local logic longint matches modport nettype new noinline ' +
    'null package packed priority program property protected pure rand randc randcase randsequence ref reject_on ' +
    'restrict return s_always s_eventually s_nexttime s_until s_until_with sequence shortint shortreal soft solve ' +
    'static string strong struct super sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type ' +
    'typedef union unique unique0 until until_with untyped var virtual void wait_order weak wildcard with within'
  ).split(' '),
);

/**
 * Longest unit name. Found by experiment (README, "Unit names"): Verilator 5.006 replaces a
 * module name of 128 or more characters by a hash (`…__Vhsh…`), so `--lint-only -Wall` warns
 * DECLFILENAME and the lint gate fails; 127 passes the whole flow (lint gate, Verilator build
 * and run, Icarus, Yosys synth). 100 keeps a margin for other tool versions.
 */
export const MAX_NAME_LENGTH = 100;

/**
 * The module name of a unit's submodule `part`: `<name>__<part>`.
 *
 * Why no two legal units can share a module name: a legal unit name has no `__` and does not
 * end with `_` ({@link nameProblem}), and a part never starts with `_`. So in `<name>__<part>`
 * the first `__` starts exactly where `name` ends (not inside `name`, which has none; not one
 * character earlier, since `name` does not end with `_`). Hence every module name determines
 * its unit: with no `__` it is the top module, the unit's name itself; otherwise the unit's
 * name is the text before the first `__` (see {@link unitOfModule}). Two different units
 * therefore never define the same module, and any number of them share one project.
 */
export function submoduleName(name: string, part: string): string {
  if (!/^[A-Za-z0-9$]/.test(part)) throw new Error(`submodule part '${part}' must not start with '_'`);
  return `${name}__${part}`;
}

/** The unit a module name of a generated unit belongs to (the inverse of {@link submoduleName}). */
export function unitOfModule(module: string): string {
  const at = module.indexOf('__');
  return at < 0 ? module : module.slice(0, at);
}

/**
 * Why a string cannot be a unit name, or null when it can: a plain Verilog identifier, not a
 * keyword, without `__` and not ending with `_` (so submodule names never collide), and at
 * most MAX_NAME_LENGTH characters.
 */
export function nameProblem(name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) || KEYWORDS.has(name.toLowerCase())) {
    return `name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not ${shown(name)}`;
  }
  if (name.includes('__') || name.endsWith('_')) {
    return `name must not contain '__' or end with '_', since the unit's submodules are named <name>__<part> and could then clash with another unit's, not ${shown(name)}`;
  }
  if (name.length > MAX_NAME_LENGTH) return `name must be at most ${MAX_NAME_LENGTH} characters, not ${name.length}`;
  return null;
}

/** Whether a string is a legal unit name ({@link nameProblem} finds nothing wrong). */
export function isLegalName(name: string): boolean {
  return nameProblem(name) === null;
}

/** A fully resolved MAC unit: formats, every derived width, timing and the unit's name. */
export class MacConfig {
  /** Activation format (port `a`). */
  readonly a: Format;
  /** Weight format (port `w`). */
  readonly w: Format;
  /** Products per beat: lanes of (a, w) pairs. */
  readonly lanes: number;
  /** Register stages before the accumulator. */
  readonly pipeline: number;
  /** Cycles from a sampled beat to it being in `acc`: pipeline + 1 (the accumulator register). */
  readonly latency: number;
  /** Products that must never overflow with the default width (`--len`). */
  readonly len: number;
  /** Exponent of the product LSB: lsb(A) + lsb(W). */
  readonly productLsb: number;
  /** Fexact = -productLsb: the accumulator frac at which no product bit is lost. */
  readonly productFrac: number;
  /** Largest product magnitude in product-LSB units: maxA · maxW (exactly). */
  readonly productMaxUnits: bigint;
  /** P = bitlen(maxA·maxW / 2^lsbP) + 1: every signed product fits in P bits at that LSB. */
  readonly productWidth: number;
  /** Accumulator width in bits (two's complement). */
  readonly accWidth: number;
  /** Accumulator LSB weight is 2^-accFrac. */
  readonly accFrac: number;
  /** Rounding onto the accumulator grid. */
  readonly accRound: AccRound;
  /** Overflow behaviour. */
  readonly overflow: Overflow;
  /**
   * Right shift from the product grid to the accumulator grid: Fexact - frac. Positive drops
   * low product bits (rounded per accRound); zero or negative is exact (a left shift).
   */
  readonly alignShift: number;
  /**
   * Width of one product on the accumulator grid (signed). Left shift: P - shift. Floor: the top
   * P - shift bits (at least the sign bit). RNE: one more, since rounding up can carry out.
   */
  readonly alignedWidth: number;
  /** Width of a beat's contribution: the sum of `lanes` aligned products needs ceil(log2 L) more bits. */
  readonly contributionWidth: number;
  /** Out-of-context clock period in whole picoseconds (`--clock-period` is in ns, at most 3 decimals). */
  readonly clockPeriodPs: number;
  /** Whether `nan`, `pinf`, `ninf` ports exist (A or W has specials). */
  readonly hasFlags: boolean;
  /** The float result format R of port `res`, or null for a unit without `--result`. */
  readonly result: Format | null;
  /** Overflow mode of the result encode: 'sat' (±max) or 'inf' (±inf or NaN by R's variant). */
  readonly resultOverflow: ResultOverflow;
  /** q: register stages of the conversion beyond the one `res` always has (0 without a result). */
  readonly resultPipeline: number;
  /** Cycles from a sampled beat to it showing in `res`: p + 2 + q (0 without a result). */
  readonly resultLatency: number;
  /** The converter's widths (null without a result). */
  readonly resultShape: ResultShape | null;
  /** The arithmetic layer: `generic` RTL, or the adders built from xc7/xcup primitives (rtl/primitives.ts). */
  readonly arch: Arch;
  /** The unit's name: top module, file stem, prefix of every module. */
  readonly name: string;
  /** Whether the name was derived from the configuration (not given with --name). */
  readonly defaultName: boolean;

  constructor(req: MacRequest) {
    const afmt = req.afmt ?? req.fmt;
    const wfmt = req.wfmt ?? req.fmt;
    if (afmt === undefined) throw new UsageError('the activation side has no format: give --fmt or --afmt', '--afmt');
    if (wfmt === undefined) throw new UsageError('the weight side has no format: give --fmt or --wfmt', '--wfmt');
    const aflag = req.afmt !== undefined ? '--afmt' : '--fmt';
    const wflag = req.wfmt !== undefined ? '--wfmt' : '--fmt';
    this.a = parseFormat(afmt, aflag);
    this.w = parseFormat(wfmt, wflag);
    this.lanes = intFlag(req.lanes, 1, '--lanes', 1, LIMITS.lanes, 'lanes');
    this.pipeline = intFlag(req.pipeline, 0, '--pipeline', 0, LIMITS.pipeline, 'pipeline depth');
    this.latency = this.pipeline + 1;
    this.len = intFlag(req.len, 1024, '--len', 1, Number.MAX_SAFE_INTEGER, 'len');

    this.productLsb = this.a.lsbExponent + this.w.lsbExponent;
    this.productFrac = 0 - this.productLsb; // 0 - x, not -x: no -0 for integer pairs
    this.productMaxUnits = this.a.maxUnits * this.w.maxUnits;
    // +1 for the sign: magnitudes fit in bitlen(max) bits, signed values in one more.
    this.productWidth = bitLength(this.productMaxUnits) + 1;

    // Default width: P plus ceil(log2 len) bits of headroom, so len products of the largest
    // magnitude never overflow.
    const defaultWidth = this.productWidth + ceilLog2(this.len);
    this.accWidth = intFlag(req.acc, defaultWidth, '--acc', 2, LIMITS.accWidth, 'acc width');
    // Default frac: exact when the accumulator is at least P wide (extra bits are headroom on top);
    // when narrower, keep the top of the product and drop P - W bits at the bottom.
    const defaultFrac =
      this.accWidth >= this.productWidth ? this.productFrac : this.productFrac - (this.productWidth - this.accWidth);
    this.accFrac = intFlag(
      req.accFrac,
      defaultFrac,
      '--acc-frac',
      this.productFrac - LIMITS.fracSpan,
      this.productFrac + LIMITS.fracSpan,
      'acc frac',
      `within ${LIMITS.fracSpan} of the exact frac ${this.productFrac}`,
    );
    this.accRound = choice(req.accRound, 'floor', ['floor', 'rne'], '--acc-round', 'acc rounding');
    this.overflow = choice(req.overflow, 'wrap', ['wrap', 'sat'], '--overflow', 'overflow mode');

    this.alignShift = this.productFrac - this.accFrac;
    const P = this.productWidth;
    const s = this.alignShift;
    if (s <= 0) this.alignedWidth = P - s;
    else if (this.accRound === 'floor') this.alignedWidth = Math.max(P - s, 1);
    else this.alignedWidth = s >= P ? 1 : P - s + 1;
    this.contributionWidth = this.alignedWidth + ceilLog2(this.lanes);
    this.hasFlags = this.a.hasSpecials || this.w.hasSpecials;
    this.clockPeriodPs = clockPs(req.clockPeriod);
    this.arch = choice(req.arch, 'generic', ARCHES, '--arch', 'arch');

    if (req.result === undefined) {
      // The result's modes mean nothing without a result: a stray one is a mistake, not a no-op.
      if (req.resultOverflow !== undefined) throw new UsageError('--result-overflow needs --result', '--result-overflow');
      if (req.resultPipeline !== undefined) throw new UsageError('--result-pipeline needs --result', '--result-pipeline');
      this.result = null;
      this.resultOverflow = 'sat';
      this.resultPipeline = 0;
      this.resultLatency = 0;
      this.resultShape = null;
    } else {
      this.result = parseResultFormat(req.result, '--result');
      this.resultOverflow = choice(req.resultOverflow, 'sat', ['sat', 'inf'], '--result-overflow', 'result overflow mode');
      this.resultPipeline = intFlag(req.resultPipeline, 0, '--result-pipeline', 0, LIMITS.resultPipeline, 'result pipeline depth');
      // the beat reaches acc after p + 1 edges; the result register adds one, each result stage one more
      this.resultLatency = this.latency + 1 + this.resultPipeline;
      this.resultShape = resultShape(this.accWidth, this.accFrac, this.result);
    }

    if (req.name !== undefined) {
      const problem = nameProblem(req.name);
      if (problem) throw new UsageError(problem, '--name');
      this.name = req.name;
      this.defaultName = false;
    } else {
      this.name = this.canonicalName();
      this.defaultName = true;
    }
    Object.freeze(this);
  }

  /**
   * The default name, built only from the canonical configuration (never counters or time):
   * `minimac_<A>_x_<W>_acc<width>_frac_<frac>_<round>_<overflow>_p<p>_l<L>` with '-' written 'n',
   * plus `_r<R>_<sat|inf>_q<q>` with a float result, `_xc7`/`_xcup` for a primitive arch, and `_clk<ns>ns` ('.' written 'p') when the
   * clock period is not the default 2.5 ns, so one default name never stands for two different
   * sets of files.
   */
  canonicalName(): string {
    const frac = this.accFrac < 0 ? `n${-this.accFrac}` : `${this.accFrac}`;
    return [
      'minimac',
      this.a.token,
      'x',
      this.w.token,
      `acc${this.accWidth}`,
      `frac_${frac}`,
      this.accRound,
      this.overflow,
      `p${this.pipeline}`,
      `l${this.lanes}`,
      ...(this.result ? [`r${this.result.token}`, this.resultOverflow, `q${this.resultPipeline}`] : []),
      ...(this.arch === 'generic' ? [] : [this.arch]),
      ...(this.clockPeriodPs === DEFAULT_CLOCK_PS ? [] : [`clk${nsText(this.clockPeriodPs).replace('.', 'p')}ns`]),
    ].join('_');
  }

  /** The clock period in ns, as a number (2.5, 3.333). */
  get clockPeriodNs(): number {
    return this.clockPeriodPs / 1000;
  }
}

/** Picoseconds written as the shortest decimal of ns: 2500 → '2.5', 3333 → '3.333', 10000 → '10'. */
function nsText(ps: number): string {
  return String(ps / 1000);
}

/** Validate `--clock-period` (a plain decimal in ns, at most 3 decimals, 0.5 to 1000) into whole ps. */
function clockPs(v: number | string | undefined): number {
  if (v === undefined) return DEFAULT_CLOCK_PS;
  const text = String(v);
  const m = /^(\d*)(?:\.(\d{0,3}))?$/.exec(text);
  if (!m || !/\d/.test(text)) {
    throw new UsageError(`clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not '${text}'`, '--clock-period');
  }
  const ps = Number(m[1] || '0') * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (ps < LIMITS.clockPsMin || ps > LIMITS.clockPsMax) {
    throw new UsageError(`clock period must be from 0.5 to 1000 ns, not ${text}`, '--clock-period');
  }
  return ps;
}

function intFlag(
  v: number | string | undefined,
  dflt: number,
  flag: string,
  lo: number,
  hi: number,
  what: string,
  rangeText?: string,
): number {
  if (v === undefined) return dflt;
  const text = String(v);
  // Read as a BigInt and echoed as typed: 9007199254740993 is not rounded to a double first.
  const n = decimalInt(text);
  if (n === null) throw new UsageError(`${what} must be an integer, not ${shown(text)}`, flag);
  if (n < BigInt(lo)) throw new UsageError(`${what} must be at least ${lo}, not ${text}`, flag);
  if (n > BigInt(hi)) throw new UsageError(`${what} must be ${rangeText ?? `at most ${hi}`}, not ${text}`, flag);
  return Number(n);
}

function choice<T extends string>(v: string | undefined, dflt: T, options: readonly T[], flag: string, what: string): T {
  if (v === undefined) return dflt;
  const lower = v.toLowerCase() as T;
  if (!options.includes(lower)) throw new UsageError(`${what} must be ${options.join(' or ')}, not ${shown(v)}`, flag);
  return lower;
}
