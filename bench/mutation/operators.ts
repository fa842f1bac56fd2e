/**
 * Mutation operators for `npm run bench:mutants` (issue 12, item 5): each plants one kind of
 * realistic bug into a generated unit's Verilog text. They are written against the RTL the
 * builders in generators/rtl/ emit (signal names such as `acc_next`, `out_of_range`, `keep`,
 * `round_up`, `u_lane<i>`, the decoder's `assign shift = nz ? (e - N'd1) : N'd0;`), never against
 * a template of their own.
 *
 * An operator has two halves, kept apart on purpose:
 * - `applies(cfg)` says, from the configuration alone, whether the unit has the logic the bug
 *   lives in and whether the bug is observable there (not an equivalent mutant; each exclusion is
 *   argued beside it);
 * - `edit(v, cfg)` makes the change in the text, or returns null when its pattern is not found.
 * When `applies` says yes and `edit` finds nothing, the generator has changed under the operator:
 * {@link mutate} reports that as `stale` (never as a mutant, never silently as "not applicable"),
 * and the bench and its test list it.
 */
import { LIMITS, MacConfig, submoduleName, type MacRequest } from '../../generators/config/mac-config.ts';
import type { Format } from '../../generators/formats/format.ts';
import { canonicalRequest, generateVerilog } from '../../generators/generate.ts';
import { resultModuleName } from '../../generators/rtl/result.ts';
import { multipliesCodes } from '../../generators/rtl/product.ts';
import { laneProduct } from '../../generators/golden/mac-model.ts';
import { bitLength, floorShift, rneShift } from '../../generators/util/bigint.ts';

/** The kinds of bug issue 12 item 5 names, plus sign handling. */
export const KINDS = [
  'rounding',
  'bias',
  'hidden-bit',
  'sat-bounds',
  'wrap',
  'sticky-flags',
  'lane-slice',
  'clr',
  'rst',
  'latency',
  'special-flags',
  'sign',
  'result',
] as const;

/** One kind of bug. */
export type Kind = (typeof KINDS)[number];

/** A mutation operator: one bug, where it can live, and how to plant it. */
export interface Operator {
  /** Short unique name (`--kind` accepts it too). */
  readonly name: string;
  readonly kind: Kind;
  /** The bug in one line. */
  readonly what: string;
  /** Whether the unit has this logic and the bug is observable in it (see the module comment). */
  readonly applies: (cfg: MacConfig) => boolean;
  /** The mutated Verilog, or null when the pattern is missing. */
  readonly edit: (v: string, cfg: MacConfig) => string | null;
}

/** What applying an operator to a unit gave. */
export type Mutation =
  | { readonly status: 'mutant'; readonly text: string }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'stale'; readonly why: string };

/** Apply `op` to a unit's Verilog: a mutant that really differs, not applicable, or stale (pattern lost). */
export function mutate(op: Operator, v: string, cfg: MacConfig): Mutation {
  if (!op.applies(cfg)) return { status: 'not-applicable' };
  const text = op.edit(v, cfg);
  if (text === null) return { status: 'stale', why: `${op.name}: its pattern is not in the generated RTL of ${cfg.name}` };
  if (text === v) return { status: 'stale', why: `${op.name}: the edit left the RTL of ${cfg.name} unchanged` };
  return { status: 'mutant', text };
}

// ---------------------------------------------------------------------------------------------
// Text helpers. Every edit goes through `sub` (first match only, null when there is none) and,
// where a pattern could also occur elsewhere, through `inModule`, so an edit aimed at the lane
// never lands in the float-result converter that has a `round_up` of its own.

/** Replace the first match of `re` in `text` (function replacers only: no `$` surprises), or null without one. */
function sub(text: string, re: RegExp, by: (...m: string[]) => string): string | null {
  const m = re.exec(text);
  if (!m) return null;
  return text.slice(0, m.index) + by(...m) + text.slice(m.index + m[0].length);
}

/** Edit only the text of module `name` (from `module name (` to its `endmodule`); null when it or the edit's pattern is missing. */
function inModule(v: string, name: string, edit: (m: string) => string | null): string | null {
  const start = v.indexOf(`\nmodule ${name} (`);
  if (start < 0) return null;
  const end = v.indexOf('\nendmodule', start);
  if (end < 0) return null;
  const out = edit(v.slice(start, end));
  return out === null ? null : v.slice(0, start) + out + v.slice(end);
}

/** Edit only the text of one top-level instance (`inst (` … `);`) inside module text `m`. */
function inInstance(m: string, inst: string, edit: (t: string) => string | null): string | null {
  const start = m.indexOf(` ${inst} (\n`);
  if (start < 0) return null;
  const end = m.indexOf(');', start);
  const out = edit(m.slice(start, end));
  return out === null ? null : m.slice(0, start) + out + m.slice(end);
}

/** `{n{1'd1}}`: n ones, in the replication form the generator writes for n ≥ 2 (valid for n = 1 too). */
const ones = (n: number): string => `{${n}{1'd1}}`;

/** The lane module, the top, the converter. */
const laneMod = (c: MacConfig): string => submoduleName(c.name, 'lane');
const resMod = (c: MacConfig): string => resultModuleName(c);

/** An edit of the first match of `re` in the top module, the lane or the converter. */
const onTop = (re: RegExp, by: (...m: string[]) => string) => (v: string, c: MacConfig) => inModule(v, c.name, (m) => sub(m, re, by));
const onLane = (re: RegExp, by: (...m: string[]) => string) => (v: string, c: MacConfig) => inModule(v, laneMod(c), (m) => sub(m, re, by));
const onRes = (re: RegExp, by: (...m: string[]) => string) => (v: string, c: MacConfig) => inModule(v, resMod(c), (m) => sub(m, re, by));

/** An edit of the first match of `re` in the top's instance of the last lane, where a slice can go wrong. */
const onLastLane = (re: RegExp, by: (c: MacConfig, ...m: string[]) => string) => (v: string, c: MacConfig) =>
  inModule(v, c.name, (m) => inInstance(m, `u_lane${c.lanes - 1}`, (t) => sub(t, re, (...x) => by(c, ...x))));

/** The decoder module of side `s` (one shared `__dec` when both sides have one format). */
function decMod(c: MacConfig, s: 'a' | 'w'): string {
  return submoduleName(c.name, c.a.spec === c.w.spec ? 'dec' : `dec_${s}`);
}

/** The first side whose format passes `pred` and that has a decoder (int × int units multiply the codes directly). */
function sideWith(c: MacConfig, pred: (f: Format) => boolean): 'a' | 'w' | null {
  if (multipliesCodes(c)) return null;
  if (pred(c.a)) return 'a';
  if (pred(c.w)) return 'w';
  return null;
}

/** Edit the decoder of the first side passing `pred`. */
function inDecoder(v: string, c: MacConfig, pred: (f: Format) => boolean, edit: (m: string) => string | null): string | null {
  const s = sideWith(c, pred);
  return s === null ? null : inModule(v, decMod(c, s), edit);
}

const isFloat = (f: Format): boolean => f.kind === 'float';
/** A float format whose decoder has a `shift` output (E ≥ 2; with E = 1 every code has the same exponent). */
const shifts = (f: Format): boolean => isFloat(f) && f.shiftMax > 0;
/** A float whose decoder has a shift and that has subnormals other than zero (M > 0). */
const subnormals = (f: Format): boolean => shifts(f) && f.mantissaBits > 0;
const signedInt = (f: Format): boolean => f.kind === 'int' && f.signed;

/** The unit regenerated with other settings and renamed to this unit, so only those settings differ. */
function regenerated(c: MacConfig, change: Partial<MacRequest>): string {
  const { name: _n, ...req } = canonicalRequest(c);
  const other = new MacConfig({ ...req, ...change } as MacRequest);
  return generateVerilog(other).split(other.name).join(c.name);
}

/**
 * Whether some value the accumulator can hold meets a rounding case of the converter inside R's
 * finite range: `below` = 1, a set guard bit (a tie when nothing lies below it); `below` = 2, a
 * guard and a sticky bit. The bits below R's mantissa LSB must be bits the accumulator has
 * (down to its LSB 2^-F, up to its top bit 2^(W−2−F) below the sign): in a normal binade 2^e
 * (emin ≤ e ≤ emax) the mantissa LSB is 2^(e−M); below emin it stays 2^(emin−M). Values past R's
 * max saturate (or become inf) however they round, so their binades do not count. Without such a
 * value the bug is an equivalent mutant (e2m1 × 16 lanes into e2m3: LSB 2^-2, max 7.5, so at most
 * a guard bit below the mantissa: found by the bench).
 */
function resultRoundingReachable(c: MacConfig, below: 1 | 2): boolean {
  const r = c.result!;
  const M = r.mantissaBits;
  const lo = -c.accFrac;
  const hi = c.accWidth - 2 - c.accFrac;
  const emin = r.lsbExponent + M;
  const emax = bitLength(r.maxUnits) - 1 + r.lsbExponent;
  if (Math.max(emin, lo + M + below) <= Math.min(emax, hi)) return true;
  return lo <= emin - M - below && hi >= emin - M - 1; // below R's min normal
}

/** A result unit whose converter does real work (not every value rounding to ±0). */
const converts = (c: MacConfig): boolean => c.result !== null && !c.resultShape!.allZero;


// ---------------------------------------------------------------------------------------------
// Observability. A bug in the decoder or in the rounding onto the grid changes some products;
// it is an equivalent mutant when every changed product lands on the same grid value (e5m2ieee
// on an accumulator with LSB 2^13 never sees a subnormal: every such product rounds to 0). So
// these operators carry a model of the bug on one product, and `applies` enumerates every
// (a, w) pair of one lane: observable when some pair's aligned product differs from the golden
// model's (`laneProduct`). Lanes, clears and the sum pass a changed product on unchanged.

/** A bug on one product: the mutated decode of a code (its signed units), and/or the mutated rounding onto the grid. */
interface ProductBug {
  /** Which decoders carry the bug: the first side passing this (both when the sides share one decoder). */
  readonly side?: (f: Format) => boolean;
  /** The mutated units of a finite code of format `f` (signed, in f's LSB). */
  readonly decode?: (f: Format, code: number) => bigint;
  /** The mutated rounding of an exact product (in product LSBs) onto the grid, with s = alignShift > 0. */
  readonly align?: (p: bigint, s: number) => bigint;
}

/**
 * The units of float code `code` as the generated decoder forms them: sig = {hidden, m} shifted by
 * `shift(e)`, negated by the sign bit; the unmutated decoder is hidden = (e ≠ 0), shift = max(e − 1, 0).
 */
function floatUnits(f: Format, code: number, hidden: (e: number) => number, shift: (e: number) => number): bigint {
  const M = f.mantissaBits;
  const e = (code >> M) & ((1 << f.exponentBits) - 1);
  const mag = BigInt(hidden(e) * 2 ** M + (code & (2 ** M - 1))) << BigInt(shift(e));
  return (code >> (f.bits - 1)) & 1 ? -mag : mag;
}
const hiddenOf = (e: number): number => (e !== 0 ? 1 : 0);
const shiftOf = (e: number): number => Math.max(e - 1, 0);

/** Mutated roundings of an exact product p onto the grid (s > 0): q = floor(p / 2^s), r = p mod 2^s. */
function roundings(p: bigint, s: number): { q: bigint; guard: boolean; rest: boolean } {
  const q = floorShift(p, s);
  const r = p - (q << BigInt(s));
  const half = 1n << BigInt(s - 1);
  return { q, guard: r >= half, rest: r !== 0n };
}
/** round_up = guard: ties away from zero. */
const tiesAway = (p: bigint, s: number): bigint => {
  const { q, guard } = roundings(p, s);
  return guard ? q + 1n : q;
};
/** round_up = guard & q[0]: the sticky bits ignored. */
const stickyDropped = (p: bigint, s: number): bigint => {
  const { q, guard } = roundings(p, s);
  return guard && (q & 1n) === 1n ? q + 1n : q;
};
/** floor plus 1 for a negative product with dropped ones: toward zero. */
const truncates = (p: bigint, s: number): bigint => {
  const { q, rest } = roundings(p, s);
  return p < 0n && rest ? q + 1n : q;
};
/** A signed integer's negative codes decoded through ~code: -code - 1, one above the value. */
function intUnits(f: Format, code: number): bigint {
  const d = f.decode(code);
  const u = d.kind === 'finite' ? d.units : 0n;
  return u < 0n ? u + 1n : u;
}

/** More pairs than this are not enumerated (16-bit formats): such a bug counts as observable. */
const MAX_PAIRS = 1 << 17;

/** Whether the bug changes some product on the accumulator grid (see above). */
function observable(c: MacConfig, bug: ProductBug): boolean {
  if (c.a.codeCount * c.w.codeCount > MAX_PAIRS) return true;
  const side = bug.side ? sideWith(c, bug.side) : null;
  if (bug.side && side === null) return false;
  const mutated = { a: side === 'a' || (side !== null && c.a.spec === c.w.spec), w: side === 'w' || (side !== null && c.a.spec === c.w.spec) };
  const units = (f: Format, code: number, mut: boolean): bigint | null => {
    const d = f.decode(code);
    if (d.kind !== 'finite') return null;
    // the model of the decoder must be the golden decode before it can stand for a mutant
    if (f.kind === 'float' && floatUnits(f, code, hiddenOf, shiftOf) !== d.units) throw new Error(`decoder model of ${f.spec} differs from decode(${code})`);
    return mut && bug.decode ? bug.decode(f, code) : d.units;
  };
  const s = c.alignShift;
  const align = (p: bigint): bigint => (s <= 0 ? p << BigInt(-s) : bug.align ? bug.align(p, s) : c.accRound === 'floor' ? floorShift(p, s) : rneShift(p, s));
  const wUnits = Array.from({ length: c.w.codeCount }, (_, w) => units(c.w, w, mutated.w));
  for (let a = 0; a < c.a.codeCount; a++) {
    const ua = units(c.a, a, mutated.a);
    if (ua === null) continue;
    for (let w = 0; w < c.w.codeCount; w++) {
      const uw = wUnits[w];
      if (uw === null) continue;
      const golden = laneProduct(c, a, w);
      if (golden.nan || golden.pinf || golden.ninf) continue; // special products count as 0 either way
      if (align(ua * uw) !== golden.aligned) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

/** The table of operators, grouped by kind in the order of {@link KINDS}. */
export const OPERATORS: readonly Operator[] = [
  // rounding: the product put on a coarser accumulator grid (alignShift s > 0, s < P; with
  // s ≥ P the aligned product is a constant or the sign bit, and there is no rounding logic).
  {
    name: 'rne-ties-away',
    kind: 'rounding',
    what: 'RNE onto the accumulator grid rounds ties away from zero (the tie-to-even term dropped)',
    applies: (c) => c.accRound === 'rne' && c.alignShift > 0 && c.alignShift < c.productWidth && observable(c, { align: tiesAway }),
    edit: onLane(/wire round_up = (\(\w+\[\d+\]\)) & \(.+\);/, (_, g) => `wire round_up = ${g};`),
  },
  {
    name: 'rne-sticky-dropped',
    kind: 'rounding',
    what: 'RNE ignores the sticky bits below the guard bit (round_up = guard & q[0])',
    // s = 1 has no bits below the guard: the sticky term is the constant 0 there. Two formats
    // without mantissa bits (e3m0 × e3m0) have products ±2^k only, one set bit, so the guard and
    // a sticky bit are never both set: equivalent (found by the bench: verify passed this mutant
    // of e3m0 --acc 12 --acc-round rne, rightly); `observable` excludes both.
    applies: (c) => c.accRound === 'rne' && c.alignShift >= 2 && c.alignShift < c.productWidth && observable(c, { align: stickyDropped }),
    edit: onLane(/wire round_up = (\(\w+\[\d+\]\)) & \(.+ \| \(q\[0\]\)\);/, (_, g) => `wire round_up = ${g} & (q[0]);`),
  },
  {
    name: 'floor-truncates',
    kind: 'rounding',
    what: 'floor onto the accumulator grid truncates toward zero instead (negative products with dropped ones get +1)',
    applies: (c) => c.accRound === 'floor' && c.alignShift > 0 && c.alignShift < c.productWidth - 1 && observable(c, { align: truncates }),
    edit: onLane(/assign prod = (\w+)\[(\d+):(\d+)\];/, (_, p, hs, ls) => {
      const [hi, lo] = [Number(hs), Number(ls)];
      const low = lo === 1 ? `${p}[0]` : `|${p}[${lo - 1}:0]`;
      return `assign prod = ${p}[${hi}:${lo}] + {${hi - lo}'d0, ${p}[${hi}] & (${low})};`;
    }),
  },

  // bias: the decoder's shift = max(e − 1, 0) is the exponent less the bias, relative to the smallest.
  {
    name: 'bias-normal',
    kind: 'bias',
    what: 'exponent bias off by one for normal codes (shift = e instead of e - 1)',
    applies: (c) => observable(c, { side: shifts, decode: (f, x) => floatUnits(f, x, hiddenOf, (e) => e) }),
    edit: (v, c) => inDecoder(v, c, shifts, (m) => sub(m, /assign shift = nz \? \(e - \d+'d1\) : (\d+'d0);/, (_, z) => `assign shift = nz ? e : ${z};`)),
  },
  {
    name: 'bias-subnormal',
    kind: 'bias',
    what: 'subnormals scaled one binade too high (their shift 1 instead of 0)',
    // With M = 0 the only subnormal is zero (sig = 0), whatever its shift: equivalent there. On a
    // coarse grid every subnormal product may round to the same value (e5m2ieee --acc 20 --acc-round
    // rne: LSB 2^13, found by the bench): `observable` excludes that.
    applies: (c) => observable(c, { side: subnormals, decode: (f, x) => floatUnits(f, x, hiddenOf, (e) => (e !== 0 ? e - 1 : 1)) }),
    edit: (v, c) =>
      inDecoder(v, c, subnormals, (m) =>
        sub(m, /assign shift = nz \? (\(e - (\d+)'d1\)) : \d+'d0;/, (_, n, w) => `assign shift = nz ? ${n} : ${w}'d1;`),
      ),
  },

  // hidden bit
  {
    name: 'hidden-forced',
    kind: 'hidden-bit',
    what: 'hidden bit always 1 (subnormals and zero decoded as normals)',
    // observable: zero and subnormal products vanish on a coarse enough RNE grid
    applies: (c) => observable(c, { side: isFloat, decode: (f, x) => floatUnits(f, x, () => 1, shiftOf) }),
    edit: (v, c) => inDecoder(v, c, isFloat, (m) => sub(m, /assign sig = (\{nz, m\}|nz);/, (_, s) => `assign sig = ${s === 'nz' ? "1'd1" : "{1'd1, m}"};`)),
  },
  {
    name: 'hidden-dropped',
    kind: 'hidden-bit',
    what: 'hidden bit always 0 (normals decoded as subnormals)',
    applies: (c) => observable(c, { side: isFloat, decode: (f, x) => floatUnits(f, x, () => 0, shiftOf) }),
    edit: (v, c) => inDecoder(v, c, isFloat, (m) => sub(m, /assign sig = (\{nz, m\}|nz);/, (_, s) => `assign sig = ${s === 'nz' ? "1'd0" : "{1'd0, m}"};`)),
  },

  // saturation bounds (the unit saturates: overflow sat)
  {
    name: 'sat-bounds-swapped',
    kind: 'sat-bounds',
    what: 'saturation to the wrong end (+max for a negative overflow, -2^(W-1) for a positive one)',
    applies: (c) => c.overflow === 'sat',
    edit: onTop(/\? (\{1'd1, \d+'[dh]0\}) : (\{1'd0, \{\d+\{1'd1\}\}\})\)/, (_, lo, hi) => `? ${hi} : ${lo})`),
  },
  {
    name: 'sat-max-off-by-one',
    kind: 'sat-bounds',
    what: 'positive saturation bound one LSB low (+max - 1)',
    applies: (c) => c.overflow === 'sat' && c.accWidth >= 3,
    edit: onTop(/: \{1'd0, \{(\d+)\{1'd1\}\}\}\)/, (_, n) => `: {1'd0, ${ones(Number(n) - 1)}, 1'd0})`),
  },
  {
    name: 'sat-min-off-by-one',
    kind: 'sat-bounds',
    what: 'negative saturation bound one LSB high (-2^(W-1) + 1)',
    applies: (c) => c.overflow === 'sat' && c.accWidth >= 3,
    edit: onTop(/\? \{1'd1, (\d+)'[dh]0\} :/, (_, n) => `? {1'd1, ${Number(n) - 1}'d0, 1'd1} :`),
  },

  // wrap against saturate
  {
    name: 'wrap-saturates',
    kind: 'wrap',
    what: 'a wrapping accumulator saturates instead',
    applies: (c) => c.overflow === 'wrap',
    edit: (v, c) =>
      inModule(v, c.name, (m) => {
        const top = /wire \[(\d+):0\] total = /.exec(m)?.[1];
        const W = c.accWidth;
        if (top === undefined) return null;
        const sat = `out_of_range ? ((total[${top}]) ? {1'd1, ${W - 1}'d0} : {1'd0, ${ones(W - 1)}}) : (total[${W - 1}:0])`;
        return sub(m, new RegExp(`wire \\[${W - 1}:0\\] acc_next = total\\[${W - 1}:0\\];`), () => `wire [${W - 1}:0] acc_next = ${sat};`);
      }),
  },
  {
    name: 'sat-wraps',
    kind: 'wrap',
    what: 'a saturating accumulator wraps instead',
    applies: (c) => c.overflow === 'sat',
    edit: onTop(/wire \[(\d+):0\] acc_next = out_of_range \? [^;]+;/, (_, hi) => `wire [${hi}:0] acc_next = total[${hi}:0];`),
  },

  // sticky flags
  {
    name: 'ovf-not-sticky',
    kind: 'sticky-flags',
    what: 'ovf shows only the last beat\'s overflow (not sticky)',
    applies: () => true,
    edit: onTop(/ovf <= \(ovf & keep\) \| out_of_range;/, () => 'ovf <= out_of_range;'),
  },
  {
    name: 'nan-not-sticky',
    kind: 'sticky-flags',
    what: 'nan shows only the last beat\'s NaN (not sticky)',
    applies: (c) => c.hasFlags,
    edit: onTop(/nan <= \(nan & keep\) \| (\w+);/, (_, f) => `nan <= ${f};`),
  },
  {
    name: 'flags-survive-clr',
    kind: 'sticky-flags',
    what: 'a clearing beat keeps the sticky flags of the old sum',
    applies: () => true,
    edit: onTop(/wire keep = ~\w+;/, () => "wire keep = 1'd1;"),
  },

  // lane slices (several lanes only: one lane takes the whole port)
  {
    name: 'lane-wrong-source',
    kind: 'lane-slice',
    what: 'the last lane reads lane 0\'s activation',
    applies: (c) => c.lanes >= 2,
    edit: onLastLane(/\.a\((\w+)\[\d+:\d+\]\)/, (c, _, x) => `.a(${x}[${c.a.bits - 1}:0])`),
  },
  {
    name: 'lane-slice-off-by-one',
    kind: 'lane-slice',
    what: 'the last lane\'s weight slice one bit low',
    applies: (c) => c.lanes >= 2,
    edit: onLastLane(/\.w\((\w+)\[(\d+):(\d+)\]\)/, (_c, _, x, hi, lo) => `.w(${x}[${Number(hi) - 1}:${Number(lo) - 1}])`),
  },

  // clr
  {
    name: 'clr-beat-adds',
    kind: 'clr',
    what: 'a clearing beat adds to the old sum instead of starting from zero',
    applies: () => true,
    edit: onTop(/wire (\[\d+:0\]) base = \w+ \? \d+'[dh]0 : ([^;]+);/, (_, r, keep) => `wire ${r} base = ${keep};`),
  },
  {
    name: 'clr-idle-ignored',
    kind: 'clr',
    what: 'clr without en does nothing (acc and flags not zeroed)',
    applies: () => true,
    edit: onTop(/if \(rst \| \(\w+ & \(~\w+\)\)\) begin/, () => 'if (rst) begin'),
  },
  {
    name: 'clr-idle-keeps-ovf',
    kind: 'clr',
    what: 'clr without en zeroes acc but not ovf (the wrong register cleared)',
    applies: () => true,
    edit: onTop(/ovf <= 1'd0;/, () => "ovf <= rst ? 1'd0 : ovf;"),
  },
  {
    name: 'clr-wrong-stage',
    kind: 'clr',
    what: 'the accumulator takes clr from the port instead of the pipeline stage it travels with',
    applies: (c) => c.pipeline >= 1,
    edit: onTop(/base = s\d+_clr \?/, () => 'base = clr ?'),
  },

  // rst
  {
    name: 'rst-keeps-acc',
    kind: 'rst',
    what: 'rst leaves acc uncleared (clr without en still zeroes it)',
    applies: () => true,
    edit: onTop(/acc <= (\d+'[dh]0);/, (_, z) => `acc <= rst ? acc : ${z};`),
  },
  {
    name: 'rst-keeps-ovf',
    kind: 'rst',
    what: 'rst leaves ovf uncleared',
    applies: () => true,
    edit: onTop(/ovf <= 1'd0;/, () => "ovf <= rst ? ovf : 1'd0;"),
  },
  {
    name: 'rst-keeps-nan',
    kind: 'rst',
    what: 'rst leaves the nan flag uncleared',
    applies: (c) => c.hasFlags,
    edit: onTop(/nan <= 1'd0;/, () => "nan <= rst ? nan : 1'd0;"),
  },
  {
    name: 'rst-keeps-beat',
    kind: 'rst',
    what: 'rst does not drop a beat entering the first pipeline stage',
    applies: (c) => c.pipeline >= 1,
    // the first stage's en register loads its input under rst too (the else branch says which)
    edit: onTop(
      /if \(rst\) begin\n(\s+)(s\d+_en) <= 1'd0;\n([\s\S]*?end else begin\n\s+)\2 <= (\w+);/,
      (_, ind, r, mid, src) => `if (rst) begin\n${ind}${r} <= ${src};\n${mid}${r} <= ${src};`,
    ),
  },
  {
    name: 'rst-keeps-res',
    kind: 'rst',
    what: 'rst does not clear the result register res',
    applies: (c) => c.result !== null,
    edit: onRes(/if \(rst\)\n(\s+)res <= \d+'d0;\n(\s+else\n\s+)res <= (\w+);/, (_, i, mid, src) => `if (rst)\n${i}res <= ${src};\n${mid}res <= ${src};`),
  },

  // latency: one register stage too many or too few. The whole unit regenerated at p ± 1 (or
  // q ± 1) and renamed: a consistent extra stage, en, clr and data together, as a real
  // off-by-one in the pipeline plan would give. data-late is the inconsistent one.
  {
    name: 'latency-plus-one',
    kind: 'latency',
    what: 'one pipeline stage more than the promised latency',
    applies: (c) => c.pipeline < LIMITS.pipeline,
    edit: (_v, c) => regenerated(c, { pipeline: c.pipeline + 1 }),
  },
  {
    name: 'latency-minus-one',
    kind: 'latency',
    what: 'one pipeline stage less than the promised latency',
    applies: (c) => c.pipeline >= 1,
    edit: (_v, c) => regenerated(c, { pipeline: c.pipeline - 1 }),
  },
  {
    name: 'data-late',
    kind: 'latency',
    what: 'the contribution takes an extra register that en and clr do not (data one edge behind its control)',
    applies: () => true,
    edit: (v, c) =>
      inModule(v, c.name, (m) =>
        sub(m, /(\n\s+)(wire \[\d+:0\] total = base \+ \{[^;]*?)(\w+)\};/, (_, ind, head, x) => {
          const W = c.contributionWidth;
          return `${ind}reg  [${W - 1}:0] ${x}_late;${ind}always @(posedge clk) ${x}_late <= ${x};${ind}${head}${x}_late};`;
        }),
      ),
  },
  {
    name: 'res-latency-plus-one',
    kind: 'latency',
    what: 'one result stage more than the promised result latency',
    applies: (c) => c.result !== null && c.resultPipeline < LIMITS.resultPipeline,
    edit: (_v, c) => regenerated(c, { resultPipeline: c.resultPipeline + 1 }),
  },
  {
    name: 'res-latency-minus-one',
    kind: 'latency',
    what: 'one result stage less than the promised result latency',
    applies: (c) => c.result !== null && c.resultPipeline >= 1,
    edit: (_v, c) => regenerated(c, { resultPipeline: c.resultPipeline - 1 }),
  },

  // special flags (formats with NaN or inf)
  {
    name: 'nan-dropped',
    kind: 'special-flags',
    what: 'the lane never raises nan',
    applies: (c) => c.hasFlags,
    edit: onLane(/assign nan = \w+;/, () => "assign nan = 1'd0;"),
  },
  {
    name: 'inf-sign-swapped',
    kind: 'special-flags',
    what: 'pinf and ninf swapped (the product sign inverted for infinities)',
    // Without an infinity is_inf is the constant 0 and both flags are 0 either way: equivalent.
    applies: (c) => c.a.hasInf || c.w.hasInf,
    edit: onLane(
      /wire is_pinf = is_inf & \(~(.+?)\);\n(\s+)wire is_ninf = is_inf & (.+?);/,
      (_, s1, ind, s2) => `wire is_pinf = is_inf & ${s2};\n${ind}wire is_ninf = is_inf & (~${s1});`,
    ),
  },
  {
    name: 'inf-times-zero',
    kind: 'special-flags',
    what: 'inf x 0 raises an infinity instead of NaN',
    applies: (c) => c.a.hasInf || c.w.hasInf,
    edit: onLane(/wire is_nan = ([^;]+);/, (line, terms) => {
      const kept = terms.split(' | ').filter((t) => !/^\(?\w_inf & \w_zero\)?$/.test(t));
      if (kept.length === terms.split(' | ').length) return line; // nothing to drop: mutate() reports it stale
      return `wire is_nan = ${kept.length ? kept.join(' | ') : "1'd0"};`;
    }),
  },
  {
    name: 'special-counted',
    kind: 'special-flags',
    what: 'a NaN or inf operand\'s product is added to acc instead of counting as 0',
    // fnuz's only special, NaN = 1.0000.000, decodes to significand 0: its product is 0 anyway,
    // so the bug is equivalent unless a side has fn or ieee specials (all-ones exponent, hidden 1).
    applies: (c) => [c.a, c.w].some((f) => f.specials === 'fn' || f.specials === 'ieee'),
    edit: onLane(/wire (\[\d+:0\]) sp_z = special \? \d+'d0 : sp;/, (_, r) => `wire ${r} sp_z = sp;`),
  },
  {
    name: 'negative-nan-missed',
    kind: 'special-flags',
    what: 'the decoder misses NaN codes with the sign bit set',
    applies: (c) => sideWith(c, (f) => f.hasNan) !== null,
    edit: (v, c) => {
      const s = sideWith(c, (f) => f.hasNan)!;
      const msb = c[s].bits - 1;
      return inModule(v, decMod(c, s), (m) => sub(m, /assign nan = ([^;]+);/, (_, e) => `assign nan = (${e}) & (~code[${msb}]);`));
    },
  },

  // sign
  {
    name: 'product-sign-dropped',
    kind: 'sign',
    what: 'the product takes the activation\'s sign only (a_sign instead of a_sign ^ w_sign)',
    applies: (c) => !multipliesCodes(c) && c.a.signed && c.w.signed,
    edit: onLane(/wire psign = (\w+) \^ \w+;/, (_, a) => `wire psign = ${a};`),
  },
  {
    name: 'contribution-zero-extended',
    kind: 'sign',
    what: 'the beat\'s contribution is zero-extended into the sum instead of sign-extended',
    // Unsigned × unsigned (uint4 × uint4) never has a negative contribution: equivalent there
    // (found by the bench: verify passed this mutant of uint4 --pipeline 1, rightly).
    applies: (c) => c.a.signed || c.w.signed,
    edit: onTop(/total = base \+ \{(?:\{(\d+)\{\w+\[\d+\]\}\}|\w+\[\d+\]), (\w+)\};/, (_, n, x) => `total = base + {${n ?? 1}'d0, ${x}};`),
  },
  {
    name: 'int-magnitude-ones-complement',
    kind: 'sign',
    what: 'a signed integer operand\'s magnitude taken as ~code instead of -code',
    // ~code is -code - 1: every negative code's value one too high
    applies: (c) => observable(c, { side: signedInt, decode: (f, x) => intUnits(f, x) }),
    edit: (v, c) =>
      inDecoder(v, c, signedInt, (m) => sub(m, /assign sig = s \? \(\(~code\) \+ \d+'d1\) : code;/, () => 'assign sig = s ? (~code) : code;')),
  },

  // the float-result stage (--result)
  {
    name: 'res-ties-away',
    kind: 'result',
    what: 'the result rounds ties away from zero (round_up = guard)',
    applies: (c) => converts(c) && resultRoundingReachable(c, 1),
    edit: onRes(/wire round_up = (\w+) & \(.+\);/, (_, g) => `wire round_up = ${g};`),
  },
  {
    name: 'res-sticky-dropped',
    kind: 'result',
    what: 'the result\'s rounding ignores the sticky bits (round_up = guard & t[0])',
    applies: (c) => converts(c) && resultRoundingReachable(c, 2),
    edit: onRes(/wire round_up = (\w+) & \(sticky \| \(t\[0\]\)\);/, (_, g) => `wire round_up = ${g} & (t[0]);`),
  },
  {
    name: 'res-overflow-ignored',
    kind: 'result',
    what: 'a result past R\'s max is not saturated (or made inf): the code runs on into the exponent',
    applies: (c) => converts(c) && c.resultShape!.canOverflow,
    edit: onRes(/wire (\[\d+:0\]) finite_code = over \? [^;]+? : ([^;]+);/, (_, r, normal) => `wire ${r} finite_code = ${normal};`),
  },
  {
    name: 'res-overflow-code',
    kind: 'result',
    what: 'the wrong code on result overflow (one code below the right one)',
    applies: (c) => converts(c) && c.resultShape!.canOverflow,
    edit: onRes(/finite_code = over \? (?:\{(\w+), (\d+)'d(\d+)\}|(\d+)'d(\d+)) :/, (_, s, w1, k1, w2, k2) => {
      const dec = (k: string) => (Number(k) > 0 ? Number(k) - 1 : 1);
      return s !== undefined ? `finite_code = over ? {${s}, ${w1}'d${dec(k1)}} :` : `finite_code = over ? ${w2}'d${dec(k2)} :`;
    }),
  },
  {
    name: 'res-subnormal-unclamped',
    kind: 'result',
    what: 'the normalizer shifts past R\'s emin (no subnormal results; zero mis-encoded)',
    // The clamp at sMax exists when 2^K − 1 > sMax. It matters when sMax ≤ N − 1: then a value
    // below R's min normal (or zero, at sMax = N − 1) would be shifted further. With sMax > N − 1
    // every non-zero X normalizes within sMax and zero is masked by the hidden bit: equivalent.
    applies: (c) => {
      if (!converts(c)) return false;
      const sh = c.resultShape!;
      return 2 ** sh.shiftBits - 1 > sh.shiftMax && sh.zeroByClamp;
    },
    edit: (v, c) =>
      inModule(v, resMod(c), (m) => {
        const out = m.replace(/wire (take\d+) = \((.+)\) & \(\{[^}]+\} <= \d+'d\d+\);/g, (_, t, z) => `wire ${t} = ${z};`);
        return out === m ? null : out;
      }),
  },
  {
    name: 'res-exponent-off-by-one',
    kind: 'result',
    what: 'the result\'s exponent field one too small (bias off by one in the encode)',
    applies: converts,
    edit: onRes(/(wire \[\d+:0\] exp_part = [^;]*?)(\d+)'d(\d+)/, (_, head, w, k) => `${head}${w}'d${Number(k) > 0 ? Number(k) - 1 : 1}`),
  },
  {
    name: 'res-nan-ignored',
    kind: 'result',
    what: 'the nan flag does not make res NaN',
    applies: (c) => c.result !== null && c.hasFlags,
    edit: onRes(/wire (\[\d+:0\]) code = f_nan \? \d+'d\d+ : ([^;]+);/, (_, r, rest) => `wire ${r} code = ${rest};`),
  },
];

/** The operators of a kind, or the one operator of that name. */
export function operatorsNamed(word: string): Operator[] {
  return OPERATORS.filter((o) => o.kind === word || o.name === word);
}

/** The changed lines of a mutant against the original: the first removed and added line, and how many in all. */
export function diffLine(original: string, mutant: string): string {
  const a = original.split('\n');
  const b = mutant.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let ja = a.length - 1;
  let jb = b.length - 1;
  while (ja >= i && jb >= i && a[ja] === b[jb]) {
    ja--;
    jb--;
  }
  const removed = a.slice(i, ja + 1);
  const added = b.slice(i, jb + 1);
  // show the first changed line of code (a regenerated unit's first change is its header comment)
  const code = (ls: string[]) => (ls.find((l) => !l.trim().startsWith('//')) ?? ls[0] ?? '').trim();
  const more = removed.length + added.length > 2 ? ` (the change spans ${removed.length} old, ${added.length} new lines)` : '';
  return `- ${code(removed)} / + ${code(added)}${more}`;
}
