/**
 * Format model tests, checked against three independent sources: the contract's table of facts,
 * the ml_dtypes 0.6.0 ground truth (every code, ~300 encodings per type), and a second decoder
 * written differently (bit strings and floating-point powers instead of BigInt units).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FORMAT_ALIASES, parseFormat, type Format } from '../../../generators/formats/format.ts';
import { UsageError } from '../../../generators/util/errors.ts';
import { REF, fromHex, ratio } from '../../support/ml-dtypes.ts';

/**
 * The second decoder: reads the code as a bit string and applies the contract's formula with
 * Math.pow, and the special-value table of §1 written out per variant.
 */
function independentDecode(f: Format, code: number): number {
  const s = code.toString(2).padStart(f.bits, '0');
  if (f.kind === 'int') {
    const u = parseInt(s, 2);
    return f.signed && s[0] === '1' ? u - Math.pow(2, f.bits) : u;
  }
  const E = f.exponentBits;
  const M = f.mantissaBits;
  const sign = s[0] === '1' ? -1 : 1;
  const expBits = s.slice(1, 1 + E);
  const manBits = s.slice(1 + E);
  const e = parseInt(expBits, 2);
  const m = M === 0 ? 0 : parseInt(manBits, 2);
  const allOnesE = !expBits.includes('0');
  const allOnesM = !manBits.includes('0'); // true when M = 0
  if (f.specials === 'fn' && allOnesE && allOnesM) return NaN;
  if (f.specials === 'ieee' && allOnesE) return m === 0 ? sign * Infinity : NaN;
  if (f.specials === 'fnuz' && s === '1' + '0'.repeat(f.bits - 1)) return NaN;
  const mag = e === 0 ? Math.pow(2, 1 - f.bias) * (m / Math.pow(2, M)) : Math.pow(2, e - f.bias) * (1 + m / Math.pow(2, M));
  return sign * mag;
}

/** Every minifloat spec of 3–8 bits in every variant, plus every integer of 2..8 bits. */
function smallSpecs(): string[] {
  const out: string[] = [];
  for (let bits = 3; bits <= 8; bits++) {
    for (let E = 1; E <= bits - 1; E++) {
      for (const v of ['', 'fn', 'ieee', 'fnuz']) out.push(`e${E}m${bits - 1 - E}${v}`);
    }
  }
  for (let n = 2; n <= 8; n++) out.push(`int${n}`);
  for (let n = 1; n <= 8; n++) out.push(`uint${n}`);
  return out;
}

describe('decode: every code of every 3–8-bit format against an independent decoder', () => {
  const specs = [...smallSpecs(), ...Object.keys(FORMAT_ALIASES), 'e4m3b11fnuz', 'e3m2b-3', 'e2m2b5ieee'];
  it.each(specs)('%s', (spec) => {
    const f = parseFormat(spec);
    for (let c = 0; c < f.codeCount; c++) {
      const want = independentDecode(f, c);
      const got = f.value(c);
      if (!Object.is(got, want)) {
        throw new Error(`${spec} code ${c.toString(2).padStart(f.bits, '0')}: model ${got}, independent ${want}`);
      }
    }
  });
});

describe('ml_dtypes 0.6.0 ground truth', () => {
  for (const [name, t] of Object.entries(REF.types)) {
    describe(name, () => {
      const f = parseFormat(name);
      it('has the same width and finfo', () => {
        expect(f.bits).toBe(t.bits);
        expect(f.max).toBe(ratio(t.finfo.max));
        expect(f.minNormal).toBe(ratio(t.finfo.smallest_normal));
        expect(f.minSubnormal).toBe(ratio(t.finfo.smallest_subnormal));
      });
      it('decodes every code to the same exact value', () => {
        // The reference writes −0 as "0": the sign bit says which zero it is (fnuz has no −0).
        t.decode.forEach((s, code) => {
          const negZero = s === '0' && code >= 2 ** (t.bits - 1);
          expect([code, f.value(code)]).toEqual([code, negZero ? -0 : ratio(s)]);
        });
      });
      it('encodes every reference input to the same code (non-saturating, exact scalar conversion)', () => {
        for (const [hex, scalar] of t.encode) {
          const x = fromHex(hex);
          if (Number.isNaN(x) && !f.hasNan) {
            // ml_dtypes writes a zero code here; the contract makes NaN into a NaN-less format an error.
            expect(() => f.encode(x, { saturate: false })).toThrow(/has no NaN/);
            continue;
          }
          expect([hex, f.encode(x, { saturate: false })]).toEqual([hex, scalar]);
        }
      });
    });
  }
});

/** Exact text of a value ("480", "2^-9", "31*2^-1", or ml_dtypes' "p/q") → the reduced fraction [p, q]. */
function exactFraction(s: string): [bigint, bigint] {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  const reduce = (p: bigint, q: bigint): [bigint, bigint] => [p / gcd(p, q), q / gcd(p, q)];
  let m = /^(\d+)\/(\d+)$/.exec(s);
  if (m) return reduce(BigInt(m[1]), BigInt(m[2]));
  m = /^(?:(\d+)\*)?2\^(-\d+)$/.exec(s);
  if (m) return reduce(BigInt(m[1] ?? 1), 1n << BigInt(-Number(m[2])));
  if (/^\d+$/.test(s)) return [BigInt(s), 1n];
  throw new Error(`not an exact value: ${s}`);
}

describe('exact text of max, min normal and min subnormal (manifest *Exact fields)', () => {
  it('equals the ml_dtypes finfo fractions exactly', () => {
    for (const [name, t] of Object.entries(REF.types)) {
      const f = parseFormat(name);
      expect([name, exactFraction(f.exact.max)]).toEqual([name, exactFraction(t.finfo.max)]);
      expect([name, exactFraction(f.exact.minNormal)]).toEqual([name, exactFraction(t.finfo.smallest_normal)]);
      expect([name, exactFraction(f.exact.minSubnormal)]).toEqual([name, exactFraction(t.finfo.smallest_subnormal)]);
    }
  });
  it('is written in the documented forms: decimal integers, else [N*]2^-k with N odd', () => {
    const e4m3 = parseFormat('e4m3');
    expect(e4m3.exact).toEqual({ max: '480', minNormal: '2^-6', minSubnormal: '2^-9' });
    expect(parseFormat('e3m4ieee').exact.max).toBe('31*2^-1');
    expect(parseFormat('e2m3').exact.minNormal).toBe('1');
    expect(parseFormat('int8').exact).toEqual({ max: '128', minNormal: '1', minSubnormal: '1' });
  });
  it("keeps 15·2^61 exact where the JSON number reads back as another integer (the issue's example)", () => {
    // e4m3 with bias -49: max = 1.875 · 2^(15 + 49) = 15 · 2^61.
    const f = parseFormat('e4m3b-49');
    expect(f.exact.max).toBe('34587645138205409280');
    expect(JSON.stringify(f.max)).toBe('34587645138205410000');
    expect(BigInt(f.exact.max)).toBe(15n << 61n);
  });
  it('matches (2 - 2^-M) · 2^(2^E - 1 - bias) for every no-specials float, worked out from the parameters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: -256, max: 256 }), (E, M, bias) => {
        fc.pre(1 + E + M >= 3 && 1 + E + M <= 16);
        const f = parseFormat(`e${E}m${M}b${bias}`);
        // max = (2^(M+1) - 1) / 2^M · 2^(2^E - 1 - bias), as a fraction p/q.
        const k = 2 ** E - 1 - bias - M;
        const p = (2n ** BigInt(M + 1) - 1n) * (k >= 0 ? 2n ** BigInt(k) : 1n);
        const q = k >= 0 ? 1n : 2n ** BigInt(-k);
        const [rp, rq] = exactFraction(f.exact.max);
        expect(rp * q).toBe(p * rq);
        const x = 1 - bias - M; // min subnormal = 2^x
        expect(exactFraction(f.exact.minSubnormal)).toEqual(x >= 0 ? [2n ** BigInt(x), 1n] : [1n, 2n ** BigInt(-x)]);
        // The JSON number and the exact text agree as doubles.
        expect(Number(rp) / Number(rq)).toBe(f.max);
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});

describe("the contract's table of facts", () => {
  const table: [string, string, number, number, number, number][] = [
    // string, alias, bias, max, min normal, min subnormal
    ['e4m3', '', 7, 480, 2 ** -6, 2 ** -9],
    ['e4m3fn', 'float8_e4m3fn', 7, 448, 2 ** -6, 2 ** -9],
    ['e4m3fn', 'ocp_e4m3', 7, 448, 2 ** -6, 2 ** -9],
    ['e5m2ieee', 'float8_e5m2', 15, 57344, 2 ** -14, 2 ** -16],
    ['e5m2ieee', 'ocp_e5m2', 15, 57344, 2 ** -14, 2 ** -16],
    ['e4m3ieee', 'float8_e4m3', 7, 240, 2 ** -6, 2 ** -9],
    ['e3m4ieee', 'float8_e3m4', 3, 15.5, 2 ** -2, 2 ** -6],
    ['e4m3fnuz', 'float8_e4m3fnuz', 8, 240, 2 ** -7, 2 ** -10],
    ['e5m2fnuz', 'float8_e5m2fnuz', 16, 57344, 2 ** -15, 2 ** -17],
    ['e4m3b11fnuz', 'float8_e4m3b11fnuz', 11, 30, 2 ** -10, 2 ** -13],
    ['e3m2', 'float6_e3m2fn', 3, 28, 2 ** -2, 2 ** -4],
    ['e3m2', 'mxfp6_e3m2', 3, 28, 2 ** -2, 2 ** -4],
    ['e2m3', 'float6_e2m3fn', 1, 7.5, 1, 2 ** -3],
    ['e2m3', 'mxfp6_e2m3', 1, 7.5, 1, 2 ** -3],
    ['e2m1', 'float4_e2m1fn', 1, 6, 1, 2 ** -1],
    ['e2m1', 'mxfp4', 1, 6, 1, 2 ** -1],
    ['e5m2', '', 15, 114688, 2 ** -14, 2 ** -16],
  ];
  it.each(table)('%s %s', (spec, alias, bias, max, minNormal, minSub) => {
    for (const s of alias ? [spec, alias, alias.toUpperCase()] : [spec, spec.toUpperCase()]) {
      const f = parseFormat(s);
      expect(f.spec).toBe(spec);
      expect(f.bias).toBe(bias);
      expect(f.max).toBe(max);
      expect(f.minNormal).toBe(minNormal);
      expect(f.minSubnormal).toBe(minSub);
    }
  });
  it('spelled-out fn FP6/FP4 variants have a NaN code (e2m1fn max 4, e3m2fn max 24)', () => {
    expect(parseFormat('e2m1fn').max).toBe(4);
    expect(parseFormat('e3m2fn').max).toBe(24);
    expect(parseFormat('e2m1fn').hasNan).toBe(true);
    expect(parseFormat('float4_e2m1fn').hasNan).toBe(false);
  });
  it('M = 0 edge cases: fn makes exponent-all-ones NaN; ieee has ±inf and no NaN code', () => {
    const fn = parseFormat('e3m0fn');
    expect(fn.value(0b0111)).toBeNaN();
    expect(fn.value(0b1111)).toBeNaN();
    const ieee = parseFormat('e3m0ieee');
    expect(ieee.value(0b0111)).toBe(Infinity);
    expect(ieee.value(0b1111)).toBe(-Infinity);
    expect(ieee.hasNan).toBe(false);
    expect(() => ieee.encode(NaN)).toThrow(/has no NaN/);
  });
  it('E = 1 ieee: every normal code is special', () => {
    const f = parseFormat('e1m2ieee');
    for (let c = 0; c < 16; c++) {
      const e = (c >> 2) & 1;
      if (e === 1) expect(Number.isFinite(f.value(c))).toBe(false);
    }
  });
  it('fnuz has no negative zero (1000…0 is NaN) and encodes -0 to +0', () => {
    const f = parseFormat('e4m3fnuz');
    expect(f.value(0x80)).toBeNaN();
    expect(f.encode(-0)).toBe(0);
    expect(f.encode(-1e-30)).toBe(0);
    expect(parseFormat('e4m3').encode(-1e-30)).toBe(0x80);
  });
  it('integers: int<N> max magnitude 2^(N-1), uint<N> 2^N - 1', () => {
    expect(parseFormat('int8').max).toBe(128);
    expect(parseFormat('uint4').max).toBe(15);
    expect(parseFormat('int2').value(2)).toBe(-2);
    expect(parseFormat('uint1').value(1)).toBe(1);
  });
});

describe('encode (RNE)', () => {
  const formats = ['e4m3', 'e4m3fn', 'e5m2ieee', 'e3m2', 'e2m1', 'e4m3fnuz', 'e2m0', 'e1m2', 'e3m4ieee', 'int4', 'uint3', 'e4m3b-3'];

  it.each(formats)('%s: every code round-trips (NaN to a NaN code, -0 to -0)', (spec) => {
    const f = parseFormat(spec);
    for (let c = 0; c < f.codeCount; c++) {
      const v = f.value(c);
      if (Number.isNaN(v)) {
        expect(f.value(f.encode(v))).toBeNaN();
        continue;
      }
      const back = f.encode(v, { saturate: false });
      expect(Object.is(f.value(back), v)).toBe(true);
    }
  });

  it.each(formats)('%s: a midpoint between neighbours goes to the even code; just off it, to the nearer', (spec) => {
    const f = parseFormat(spec);
    const finite = [...new Set(Array.from({ length: f.codeCount }, (_, c) => f.value(c)).filter((v) => Number.isFinite(v) && v >= 0))].sort(
      (x, y) => x - y,
    );
    for (let i = 0; i + 1 < finite.length; i++) {
      const lo = finite[i];
      const hi = finite[i + 1];
      const mid = (lo + hi) / 2;
      const code = f.encode(mid);
      const loCode = f.encode(lo);
      const hiCode = f.encode(hi);
      // The even neighbour is the one whose code ends in 0 (mantissa LSB; exponent LSB when M = 0; integer LSB).
      const even = (loCode & 1) === 0 ? loCode : hiCode;
      expect([spec, mid, code]).toEqual([spec, mid, even]);
      const eps = (hi - lo) / 1024;
      expect(f.encode(mid - eps)).toBe(loCode);
      expect(f.encode(mid + eps)).toBe(hiCode);
    }
  });

  it.each(formats)('%s: monotonic over random doubles', (spec) => {
    const f = parseFormat(spec);
    const lim = f.max * 1.5;
    fc.assert(
      fc.property(fc.double({ min: -lim, max: lim, noNaN: true }), fc.double({ min: -lim, max: lim, noNaN: true }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        return f.value(f.encode(a)) <= f.value(f.encode(b));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('overflow is decided after rounding with an unbounded exponent (e4m3fn: 464 → 448, 465 → NaN)', () => {
    const f = parseFormat('e4m3fn');
    expect(f.value(f.encode(464, { saturate: false }))).toBe(448);
    expect(f.value(f.encode(465, { saturate: false }))).toBeNaN();
    expect(f.value(f.encode(465))).toBe(448);
    expect(f.value(f.encode(-1e9))).toBe(-448);
  });

  it('non-saturating overflow: ±inf for ieee, NaN for fn/fnuz, ±max without specials', () => {
    expect(parseFormat('e5m2ieee').value(parseFormat('e5m2ieee').encode(-1e6, { saturate: false }))).toBe(-Infinity);
    expect(parseFormat('e4m3fnuz').value(parseFormat('e4m3fnuz').encode(1e6, { saturate: false }))).toBeNaN();
    expect(parseFormat('e4m3').value(parseFormat('e4m3').encode(Infinity, { saturate: false }))).toBe(480);
    expect(parseFormat('e2m1').value(parseFormat('e2m1').encode(-Infinity, { saturate: false }))).toBe(-6);
  });

  it('NaN keeps its sign where the format has one, and is an error where it has none', () => {
    const neg = -NaN;
    expect(parseFormat('e5m2ieee').encode(NaN)).toBe(0b01111110);
    expect(parseFormat('e4m3fn').encode(NaN)).toBe(0x7f);
    expect(parseFormat('e4m3fnuz').encode(neg)).toBe(0x80);
    expect(() => parseFormat('e2m1').encode(NaN)).toThrow(/has no NaN/);
    expect(() => parseFormat('int8').encode(NaN)).toThrow(/has no NaN/);
  });
});

describe('parse errors name the flag and the rule', () => {
  const bad: [string, string][] = [
    ['e0m3', 'exponent bits must be 1 to 8, not 0'],
    ['e9m2', 'exponent bits must be 1 to 8, not 9'],
    ['e8m8', 'format width 1+E+M must be 3 to 16 bits, not 17'],
    ['e1m0', 'format width 1+E+M must be 3 to 16 bits, not 2'],
    ['int1', 'int width must be 2 to 16, not 1'],
    ['int17', 'int width must be 2 to 16, not 17'],
    ['uint0', 'uint width must be 1 to 16, not 0'],
    ['e4m3b1.5', "bias must be an integer from -256 to 256, not '1.5'"],
    ['e4m3b300', "bias must be an integer from -256 to 256, not '300'"],
    [
      'fp8',
      "unknown format 'fp8': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn",
    ],
  ];
  it.each(bad)('%s', (spec, message) => {
    let err: unknown;
    try {
      parseFormat(spec, '--wfmt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toBe(`error: ${message} (--wfmt)`);
  });
  it('canonical specs fold default biases and case', () => {
    expect(parseFormat('E4M3B7').spec).toBe('e4m3');
    expect(parseFormat('e4m3b8fnuz').spec).toBe('e4m3fnuz');
    expect(parseFormat('e4m3b+11fnuz').spec).toBe('e4m3b11fnuz');
    expect(parseFormat('e3m2b-3').spec).toBe('e3m2b-3');
    expect(parseFormat('e3m2b-3').token).toBe('e3m2bn3');
  });
});
