/**
 * Number formats (contract §1): minifloats ExMy with their special-value variants, and
 * two's-complement / unsigned integers.
 *
 * A {@link Format} is one immutable, validated value. Every number derived from the format
 * (bias, max, LSB exponent, the hardware significand width, the special codes) is computed
 * once here; the golden model, the RTL builders, the simulation harness and the synthesis
 * driver read these fields and never work them out again.
 *
 * Value model: every finite code of a format is an integer number of "units", where one unit
 * is 2^lsbExponent. For a minifloat, lsbExponent = 1 - bias - M (the weight of the smallest
 * subnormal's mantissa bit); for an integer it is 0. Working in units keeps everything exact
 * with BigInt: a float code {e, m} has units = sig << max(e - 1, 0) with sig = (e != 0)·2^M + m.
 */
import { shown, UsageError } from '../util/errors.ts';
import { bitLength, dyadicText, exactParts, rneShift } from '../util/bigint.ts';

/** Which special values a minifloat reserves codes for (contract §1 variants). */
export type Specials = 'none' | 'fn' | 'ieee' | 'fnuz';

/** What a code means: a finite value in units (signed; `negative` marks −0 too), NaN, or ±inf. */
export type Decoded =
  | { readonly kind: 'finite'; readonly units: bigint; readonly negative: boolean }
  | { readonly kind: 'nan' }
  | { readonly kind: 'inf'; readonly negative: boolean };

/** How `encode` treats values beyond the largest finite magnitude. */
export interface EncodeOptions {
  /** true (the default for quantization): out of range gives ±max; false: ±inf or NaN where the format has them. */
  readonly saturate?: boolean;
}

/** Aliases from ml_dtypes, OCP and MX names to canonical specs (contract §1 table and note). */
export const FORMAT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  float8_e4m3fn: 'e4m3fn',
  ocp_e4m3: 'e4m3fn',
  float8_e5m2: 'e5m2ieee',
  ocp_e5m2: 'e5m2ieee',
  float8_e4m3: 'e4m3ieee',
  float8_e3m4: 'e3m4ieee',
  float8_e4m3fnuz: 'e4m3fnuz',
  float8_e5m2fnuz: 'e5m2fnuz',
  float8_e4m3b11fnuz: 'e4m3b11fnuz',
  float6_e3m2fn: 'e3m2',
  mxfp6_e3m2: 'e3m2',
  float6_e2m3fn: 'e2m3',
  mxfp6_e2m3: 'e2m3',
  float4_e2m1fn: 'e2m1',
  mxfp4: 'e2m1',
});

interface FloatParams {
  readonly kind: 'float';
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly specials: Specials;
}
interface IntParams {
  readonly kind: 'int';
  readonly bits: number;
  readonly signed: boolean;
}

/** The bias a variant uses when the spec gives none: 2^(E-1) for fnuz, else 2^(E-1) - 1. */
export function defaultBias(exponentBits: number, specials: Specials): number {
  return specials === 'fnuz' ? 2 ** (exponentBits - 1) : 2 ** (exponentBits - 1) - 1;
}

/** One number format, validated and frozen. Build it with {@link parseFormat}. */
export class Format {
  /** 'float' for minifloats, 'int' for signed and unsigned integers. */
  readonly kind: 'float' | 'int';
  /** Canonical spec string (`e4m3b11fnuz`, `int8`): aliases and default biases are folded away. */
  readonly spec: string;
  /** The spec as a Verilog-identifier-safe token (`b-3` becomes `bn3`). */
  readonly token: string;
  /** Total code width in bits. */
  readonly bits: number;
  /** Exponent field width E (0 for integers). */
  readonly exponentBits: number;
  /** Mantissa field width M (0 for integers). */
  readonly mantissaBits: number;
  /** Exponent bias (0 for integers). */
  readonly bias: number;
  /** Special-value variant ('none' for integers). */
  readonly specials: Specials;
  /** Whether codes can be negative (always for floats; int vs uint). */
  readonly signed: boolean;
  /** Whether any code is NaN or ±inf. */
  readonly hasSpecials: boolean;
  /** Whether some code is NaN. */
  readonly hasNan: boolean;
  /** Whether ±inf codes exist. */
  readonly hasInf: boolean;
  /** Largest code magnitude (the code without its sign bit) that is finite: the code of +max. */
  get maxCode(): number {
    return this.codeOfUnits(this.maxUnits, false);
  }
  /** The weight of one unit: a value is units · 2^lsbExponent. */
  readonly lsbExponent: number;
  /** Largest finite magnitude, in units (2^(N-1) for int<N>, 2^N - 1 for uint<N>). */
  readonly maxUnits: bigint;
  /** Largest finite magnitude as a number (exact). */
  readonly max: number;
  /** Smallest positive normal value (floats: 2^(1-bias); integers: 1). */
  readonly minNormal: number;
  /** Smallest positive value (floats: 2^(1-bias-M), which is the min normal when M = 0; integers: 1). */
  readonly minSubnormal: number;
  /** `max`, `minNormal` and `minSubnormal` as exact text (see `dyadicText`): "34587645138205409280", "2^-9". */
  readonly exact: Readonly<{ max: string; minNormal: string; minSubnormal: string }>;
  /**
   * Hardware view of a code as magnitude = sig << shift.
   * Floats: sig = {e != 0, m} is M+1 bits (the hidden bit is just `e != 0`, so subnormals need
   * no normalization) and shift = max(e-1, 0) ranges up to 2^E - 2. Integers: sig = |x| needs N
   * bits (|-2^(N-1)| = 2^(N-1) needs the full N bits unsigned) and there is no shift.
   */
  readonly sigWidth: number;
  /** Largest shift a code can ask for (2^E - 2 for floats, 0 for integers). */
  readonly shiftMax: number;
  /** The NaN code this format encodes NaN to, per sign: [positive, negative]; null where none. */
  readonly nanCode: readonly [number, number] | null;

  /** Every code's meaning, for operand formats (≤ 16 bits); null for wider result formats, decoded on demand. */
  private readonly decodeTable: readonly Decoded[] | null;

  constructor(p: FloatParams | IntParams, spec: string) {
    this.kind = p.kind;
    this.spec = spec;
    this.token = spec.replace(/-/g, 'n');
    // The min normal is 2^minNormalExp: 2^(1-bias) for floats, 1 for integers.
    const minNormalExp = p.kind === 'float' ? 1 - p.bias : 0;
    this.minNormal = 2 ** minNormalExp;
    if (p.kind === 'float') {
      const E = p.exponentBits;
      const M = p.mantissaBits;
      this.bits = 1 + E + M;
      this.exponentBits = E;
      this.mantissaBits = M;
      this.bias = p.bias;
      this.specials = p.specials;
      this.signed = true;
      this.lsbExponent = 1 - p.bias - M;
      this.sigWidth = M + 1;
      this.shiftMax = 2 ** E - 2;
      this.minSubnormal = 2 ** this.lsbExponent;
    } else {
      this.bits = p.bits;
      this.exponentBits = 0;
      this.mantissaBits = 0;
      this.bias = 0;
      this.specials = 'none';
      this.signed = p.signed;
      this.lsbExponent = 0;
      this.sigWidth = p.bits;
      this.shiftMax = 0;
      this.minSubnormal = 1;
    }
    // Operand formats (≤ 16 bits) keep a table of every code; a result format of up to 32 bits
    // (fp32) has too many codes for one, so it decodes on demand and takes its max in closed form.
    let maxUnits = 0n;
    if (this.bits <= TABLE_BITS) {
      const table: Decoded[] = [];
      for (let c = 0; c < 2 ** this.bits; c++) table.push(Object.freeze(this.decodeUncached(c)));
      this.decodeTable = Object.freeze(table);
      for (const d of table) {
        if (d.kind === 'finite') {
          const mag = d.units < 0n ? -d.units : d.units;
          if (mag > maxUnits) maxUnits = mag;
        }
      }
      this.hasNan = table.some((d) => d.kind === 'nan');
      this.hasInf = table.some((d) => d.kind === 'inf');
    } else {
      this.decodeTable = null;
      maxUnits = maxUnitsClosedForm(this);
      // Wide formats are floats of 8 exponent bits or fewer with M ≥ 1 (parseResultFormat), so
      // every variant but 'none' has a NaN code, and 'ieee' has ±inf.
      this.hasNan = this.specials !== 'none';
      this.hasInf = this.specials === 'ieee';
    }
    this.maxUnits = maxUnits;
    this.max = Number(maxUnits) * 2 ** this.lsbExponent;
    this.exact = Object.freeze({
      max: dyadicText(maxUnits, this.lsbExponent),
      minNormal: dyadicText(1n, minNormalExp),
      minSubnormal: dyadicText(1n, this.lsbExponent),
    });
    this.hasSpecials = this.hasNan || this.hasInf;
    this.nanCode = this.computeNanCode();
    Object.freeze(this);
  }

  /** Number of codes, 2^bits. */
  get codeCount(): number {
    return 2 ** this.bits;
  }

  /** The exact meaning of a code (0 ≤ code < 2^bits). */
  decode(code: number): Decoded {
    if (this.decodeTable === null) {
      if (!Number.isInteger(code) || code < 0 || code >= this.codeCount) throw new RangeError(`code ${code} is outside ${this.spec} (0..${this.codeCount - 1})`);
      return this.decodeUncached(code);
    }
    const d = this.decodeTable[code];
    if (d === undefined) throw new RangeError(`code ${code} is outside ${this.spec} (0..${this.codeCount - 1})`);
    return d;
  }

  /** The code's value as a JS number: exact, with NaN, ±Infinity and −0. */
  value(code: number): number {
    const d = this.decode(code);
    if (d.kind === 'nan') return NaN;
    if (d.kind === 'inf') return d.negative ? -Infinity : Infinity;
    if (d.units === 0n) return d.negative ? -0 : 0;
    return Number(d.units) * 2 ** this.lsbExponent;
  }

  /** Hardware fields of a code: sign, significand and shift (magnitude = sig << shift). */
  fields(code: number): { sign: number; sig: number; shift: number } {
    if (this.kind === 'int') {
      const v = this.signed && code >= 2 ** (this.bits - 1) ? code - 2 ** this.bits : code;
      return { sign: v < 0 ? 1 : 0, sig: Math.abs(v), shift: 0 };
    }
    const M = this.mantissaBits;
    const sign = code >>> (this.bits - 1);
    const e = (code >>> M) & (2 ** this.exponentBits - 1);
    const m = code & (2 ** M - 1);
    return { sign, sig: (e !== 0 ? 2 ** M : 0) + m, shift: Math.max(e - 1, 0) };
  }

  /**
   * Round a real number into the format exactly (as ml_dtypes' scalar conversion): RNE, with
   * overflow decided after rounding with an unbounded exponent.
   */
  encode(x: number, opts: EncodeOptions = {}): number {
    const saturate = opts.saturate ?? true;
    if (Number.isNaN(x)) {
      if (this.nanCode === null) throw new RangeError(`${this.spec} has no NaN code to encode NaN into`);
      return this.nanCode[signBitOf(x)];
    }
    const negative = x < 0 || Object.is(x, -0);
    return this.kind === 'int' ? this.encodeInt(x, negative) : this.encodeFloat(Math.abs(x), negative, saturate);
  }

  /** The code holding a finite magnitude `units` (which must be representable) with a sign. */
  codeOfUnits(units: bigint, negative: boolean): number {
    if (this.kind === 'int') {
      const v = Number(negative ? -units : units);
      return v < 0 ? v + 2 ** this.bits : v;
    }
    const M = this.mantissaBits;
    const signBit = negative && !(units === 0n && this.specials === 'fnuz') ? 2 ** (this.bits - 1) : 0;
    if (units < 1n << BigInt(M)) return signBit + Number(units);
    const shift = bitLength(units) - (M + 1);
    const e = shift + 1;
    const m = Number(units >> BigInt(shift)) - 2 ** M;
    return signBit + e * 2 ** M + m;
  }

  /** The LSB of the code a magnitude would get with an unbounded exponent. */
  private codeParity(units: bigint): number {
    const M = this.mantissaBits;
    if (units < 1n << BigInt(M)) return Number(units & 1n);
    const shift = bitLength(units) - (M + 1);
    return M > 0 ? Number((units >> BigInt(shift)) & 1n) : (shift + 1) & 1;
  }

  private encodeInt(x: number, negative: boolean): number {
    const lo = this.signed ? -(2 ** (this.bits - 1)) : 0;
    const hi = this.signed ? 2 ** (this.bits - 1) - 1 : 2 ** this.bits - 1;
    if (!Number.isFinite(x)) return this.codeOfInt(negative ? lo : hi);
    const { mant, exp } = exactParts(Math.abs(x));
    const mag = exp >= 0 ? mant << BigInt(exp) : rneShift(mant, -exp);
    const v = negative ? -mag : mag;
    const clamped = v < BigInt(lo) ? lo : v > BigInt(hi) ? hi : Number(v);
    return this.codeOfInt(clamped);
  }

  private codeOfInt(v: number): number {
    return v < 0 ? v + 2 ** this.bits : v;
  }

  private encodeFloat(a: number, negative: boolean, saturate: boolean): number {
    if (a === Infinity) return this.encodeUnits(this.maxUnits + 1n, negative, saturate); // any overflow
    if (a === 0) return this.codeOfUnits(0n, negative);
    const { mant, exp } = exactParts(a);
    return this.encodeMagnitude(mant, exp, negative, saturate);
  }

  /**
   * Encode the exact value n · 2^exp (n any BigInt; −0 only through `negativeZero`) into a
   * minifloat, as {@link encode} does for a double: RNE, overflow after rounding with an
   * unbounded exponent, a negative value rounding to zero gives −0 (+0 in fnuz). The float result
   * of a unit (contract §2, `--result`) is this encode of `acc · 2^-frac`.
   */
  encodeDyadic(n: bigint, exp: number, opts: EncodeOptions = {}): number {
    if (this.kind !== 'float') throw new RangeError(`encodeDyadic encodes into minifloats, not ${this.spec}`);
    const saturate = opts.saturate ?? true;
    if (n === 0n) return this.codeOfUnits(0n, false);
    const negative = n < 0n;
    return this.encodeMagnitude(negative ? -n : n, exp, negative, saturate);
  }

  /** The code of ±inf in a mode: ±max when saturating (or without specials), else ±inf / NaN by variant. */
  encodeInfinity(negative: boolean, opts: EncodeOptions = {}): number {
    return this.encodeUnits(this.maxUnits + 1n, negative, opts.saturate ?? true);
  }

  /** Round the positive magnitude mant · 2^exp onto the format's grid, then encode with a sign. */
  private encodeMagnitude(mant: bigint, exp: number, negative: boolean, saturate: boolean): number {
    let units: bigint;
    // Binade of the value: [2^k, 2^(k+1)). Its quantum is 2^(max(k, emin) - M) with emin = 1 - bias;
    // in units that is 2^(max(k, emin) - emin), so round value / 2^q to an integer n, and units = n << (q - lsb).
    const k = bitLength(mant) - 1 + exp;
    const emin = 1 - this.bias;
    const q = Math.max(k, emin) - this.mantissaBits;
    const shift = q - exp; // value / 2^q = mant / 2^shift
    const up = BigInt(q - this.lsbExponent); // one quantum in units
    if (shift <= 0) units = (mant << BigInt(-shift)) << up;
    else {
      const S = BigInt(shift);
      const n = mant >> S;
      const rem = mant - (n << S);
      const half = 1n << (S - 1n);
      const lo = n << up;
      const hi = (n + 1n) << up;
      // Ties go to the neighbour whose code ends in 0. For M ≥ 1 that is the even mantissa
      // (IEEE RNE); for M = 0 it is the even exponent, as ml_dtypes' rounding of the bit pattern.
      units = rem < half ? lo : rem > half ? hi : this.codeParity(lo) === 0 ? lo : hi;
    }
    return this.encodeUnits(units, negative, saturate);
  }

  /** A rounded magnitude in units with its sign: the code, or the overflow code by mode and variant. */
  private encodeUnits(units: bigint, negative: boolean, saturate: boolean): number {
    if (units > this.maxUnits) {
      if (saturate || this.specials === 'none') return this.codeOfUnits(this.maxUnits, negative);
      if (this.specials === 'ieee') return this.infCode(negative);
      return this.nanCode![negative ? 1 : 0];
    }
    return this.codeOfUnits(units, negative);
  }

  private infCode(negative: boolean): number {
    const expAllOnes = (2 ** this.exponentBits - 1) * 2 ** this.mantissaBits;
    return (negative ? 2 ** (this.bits - 1) : 0) + expAllOnes;
  }

  private computeNanCode(): readonly [number, number] | null {
    const M = this.mantissaBits;
    const top = 2 ** (this.bits - 1);
    switch (this.kind === 'int' ? 'none' : this.specials) {
      case 'none':
        return null;
      case 'fnuz':
        return Object.freeze([top, top] as [number, number]);
      case 'fn':
        return Object.freeze([top - 1, 2 * top - 1] as [number, number]);
      case 'ieee': {
        if (M === 0) return null; // exponent all ones with M = 0 is only ±inf
        const quiet = (2 ** this.exponentBits - 1) * 2 ** M + 2 ** (M - 1);
        return Object.freeze([quiet, top + quiet] as [number, number]);
      }
    }
  }

  private decodeUncached(code: number): Decoded {
    if (this.kind === 'int') {
      const v = this.signed && code >= 2 ** (this.bits - 1) ? code - 2 ** this.bits : code;
      return { kind: 'finite', units: BigInt(v), negative: v < 0 };
    }
    const E = this.exponentBits;
    const M = this.mantissaBits;
    const negative = code >>> (E + M) === 1;
    const e = (code >>> M) & (2 ** E - 1);
    const m = code & (2 ** M - 1);
    const expOnes = e === 2 ** E - 1;
    const mantOnes = m === 2 ** M - 1;
    switch (this.specials) {
      case 'fn':
        if (expOnes && mantOnes) return { kind: 'nan' };
        break;
      case 'ieee':
        if (expOnes) return m === 0 ? { kind: 'inf', negative } : { kind: 'nan' };
        break;
      case 'fnuz':
        if (negative && e === 0 && m === 0) return { kind: 'nan' };
        break;
      case 'none':
        break;
    }
    const { sig, shift } = this.fields(code);
    const mag = BigInt(sig) << BigInt(shift);
    return { kind: 'finite', units: negative ? -mag : mag, negative };
  }
}

/** Formats up to this many bits keep a table of every code (operands); wider ones (results) decode on demand. */
const TABLE_BITS = 16;

/**
 * The largest finite magnitude of a minifloat in units, from its fields rather than by scanning
 * codes: the top exponent field with the top mantissa, less what the variant reserves (fn: the
 * all-ones code, or with M = 0 the whole top exponent; ieee: the whole top exponent). Exported
 * so a test can hold it equal to the scan on every operand format.
 */
export function maxUnitsClosedForm(f: Pick<Format, 'kind' | 'exponentBits' | 'mantissaBits' | 'specials' | 'bits' | 'signed'>): bigint {
  if (f.kind === 'int') return f.signed ? 1n << BigInt(f.bits - 1) : (1n << BigInt(f.bits)) - 1n;
  const E = f.exponentBits;
  const M = f.mantissaBits;
  let e = 2 ** E - 1;
  let m = 2 ** M - 1;
  if (f.specials === 'ieee' || (f.specials === 'fn' && M === 0)) {
    e -= 1;
  } else if (f.specials === 'fn') m -= 1;
  if (e < 0 || (e === 0 && f.specials === 'fn' && M === 0)) return 0n;
  // units of {e, m}: (e != 0)·2^M + m, shifted by max(e - 1, 0)
  const sig = BigInt((e !== 0 ? 2 ** M : 0) + m);
  return sig << BigInt(Math.max(e - 1, 0));
}

function signBitOf(x: number): 0 | 1 {
  // NaN payload sign: read the IEEE sign bit of the double.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return (view.getUint8(0) >> 7) as 0 | 1;
}

const FLOAT_RE = /^e(\d+)m(\d+)(?:b([^a-z]*))?(fnuz|fn|ieee)?$/;
const INT_RE = /^(u?)int(\d+)$/;

/**
 * Parse a format string (case-insensitive; contract §1), resolving aliases.
 * Throws {@link UsageError} naming `flag` when the string breaks a rule.
 */
export function parseFormat(text: string, flag = '--fmt'): Format {
  const raw = text.trim().toLowerCase();
  const s = Object.hasOwn(FORMAT_ALIASES, raw) ? FORMAT_ALIASES[raw] : raw; // own keys: 'constructor' is no alias
  const int = INT_RE.exec(s);
  if (int) {
    const signed = int[1] === '';
    const n = Number(int[2]);
    const lo = signed ? 2 : 1;
    if (n < lo || n > 16) {
      // The digits as typed: Number('99999999999999999999') would print as 100000000000000000000.
      throw new UsageError(`${signed ? 'int' : 'uint'} width must be ${lo} to 16, not ${int[2]}`, flag);
    }
    return new Format({ kind: 'int', bits: n, signed }, `${signed ? '' : 'u'}int${n}`);
  }
  const fl = FLOAT_RE.exec(s);
  if (!fl) {
    throw new UsageError(
      `unknown format ${shown(text)}: expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn`,
      flag,
    );
  }
  const E = Number(fl[1]);
  const M = Number(fl[2]);
  if (E < 1 || E > 8) throw new UsageError(`exponent bits must be 1 to 8, not ${fl[1]}`, flag);
  // Past 15 the digits are echoed as typed (a huge M would print as 1e+21 in the width rule).
  if (M > 15) throw new UsageError(`mantissa bits must be at most 15, not ${fl[2]}`, flag);
  if (1 + E + M < 3 || 1 + E + M > 16) {
    throw new UsageError(`format width 1+E+M must be 3 to 16 bits, not ${1 + E + M}`, flag);
  }
  return floatFromMatch(fl, E, M, flag);
}

/** The Format of a matched minifloat spec whose E and M were checked: the variant, the bias rule, the canonical spec. */
function floatFromMatch(fl: RegExpExecArray, E: number, M: number, flag: string): Format {
  const specials = (fl[4] ?? 'none') as Specials;
  let bias = defaultBias(E, specials);
  if (fl[3] !== undefined) {
    if (!/^[+-]?\d+$/.test(fl[3]) || Math.abs(Number(fl[3])) > 256) {
      throw new UsageError(`bias must be an integer from -256 to 256, not ${shown(fl[3])}`, flag);
    }
    bias = Number(fl[3]);
  }
  const biasPart = bias === defaultBias(E, specials) ? '' : `b${bias}`;
  const spec = `e${E}m${M}${biasPart}${specials === 'none' ? '' : specials}`;
  return new Format({ kind: 'float', exponentBits: E, mantissaBits: M, bias, specials }, spec);
}

/** Result-only aliases (contract §2, Float result): the IEEE binary32, bfloat16 and binary16. */
export const RESULT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  fp32: 'e8m23ieee',
  float32: 'e8m23ieee',
  bf16: 'e8m7ieee',
  bfloat16: 'e8m7ieee',
  fp16: 'e5m10ieee',
  float16: 'e5m10ieee',
  half: 'e5m10ieee',
});

/** Widest result format, in bits (fp32). */
export const MAX_RESULT_BITS = 32;

/**
 * Parse a result format (`--result`): a minifloat spec of §1 or a result alias, with from 3 to 32
 * bits (E ≤ 8, M ≤ 23). An integer is bad input: a unit's integer result is its accumulator.
 */
export function parseResultFormat(text: string, flag = '--result'): Format {
  const raw = text.trim().toLowerCase();
  const s = Object.hasOwn(RESULT_ALIASES, raw) ? RESULT_ALIASES[raw] : Object.hasOwn(FORMAT_ALIASES, raw) ? FORMAT_ALIASES[raw] : raw;
  if (INT_RE.test(s)) throw new UsageError(`result format must be a minifloat, not the integer ${shown(text)}; the accumulator is the integer result`, flag);
  const fl = FLOAT_RE.exec(s);
  if (!fl) {
    throw new UsageError(`unknown result format ${shown(text)}: expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], or fp32, bf16, fp16 or another alias`, flag);
  }
  const E = Number(fl[1]);
  const M = Number(fl[2]);
  // The width first: e8m24 is one bit too many for a 32-bit result, whichever field grew.
  // Huge digits are echoed as typed (Number() would print 1e+21).
  if (fl[1].length > 6 || fl[2].length > 6) throw new UsageError(`result width 1+E+M must be 3 to ${MAX_RESULT_BITS} bits, not 1+${fl[1]}+${fl[2]}`, flag);
  if (1 + E + M < 3 || 1 + E + M > MAX_RESULT_BITS) throw new UsageError(`result width 1+E+M must be 3 to ${MAX_RESULT_BITS} bits, not ${1 + E + M}`, flag);
  if (E < 1 || E > 8) throw new UsageError(`result exponent bits must be 1 to 8, not ${fl[1]}`, flag);
  if (M > 23) throw new UsageError(`result mantissa bits must be at most 23, not ${fl[2]}`, flag);
  return floatFromMatch(fl, E, M, flag);
}

/** Every minifloat ExMy (E ≥ 1, M ≥ 0, plain variant) and signed integer of a total width, in a stable order. */
export function formatsOfWidth(bits: number): string[] {
  const out: string[] = [];
  for (let E = 1; E <= bits - 1; E++) if (E <= 8) out.push(`e${E}m${bits - 1 - E}`);
  out.push(`int${bits}`);
  return out;
}

/** The formats of `--bits LO-HI`: every minifloat ExMy and the signed integer of each width. */
export function formatsOfBits(text: string, flag = '--bits'): string[] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!m) throw new UsageError(`bits must be a width or a range such as 3-8, not ${shown(text)}`, flag);
  // BigInt: a huge bound is out of range, never rounded into it.
  const lo = BigInt(m[1]);
  const hi = m[2] === undefined ? lo : BigInt(m[2]);
  if (lo < 3n || hi > 16n || lo > hi) throw new UsageError(`bits must be a range within 3-16, low to high, not ${shown(text)}`, flag);
  const out: string[] = [];
  for (let b = Number(lo); b <= Number(hi); b++) out.push(...formatsOfWidth(b));
  return out;
}

/** A comma-separated format list, canonicalized; duplicates are bad input. */
export function formatList(text: string, flag: string): string[] {
  const specs = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length === 0) throw new UsageError('format list is empty', flag);
  const out = specs.map((s) => parseFormat(s, flag).spec);
  const dup = out.find((s, i) => out.indexOf(s) !== i);
  if (dup) throw new UsageError(`format ${shown(dup)} is listed twice`, flag);
  return out;
}
