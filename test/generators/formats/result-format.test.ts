/**
 * Result formats (issue 11): minifloats of up to 32 bits, and the exact encode of n · 2^k into
 * them. Checked against roundings computed another way: the hardware's own float32 rounding
 * (Math.fround) for fp32, RNE on float32 bit patterns for bf16, a nearest-value search over a
 * table written from the IEEE formula for fp16, ml_dtypes' encodings for the 8-bit types, and a
 * closed-form max held equal to a scan of every code.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FORMAT_ALIASES, maxUnitsClosedForm, parseFormat, parseResultFormat, type Format } from '../../../generators/formats/format.ts';
import { exactParts } from '../../../generators/util/bigint.ts';
import { REF, fromHex } from '../../support/ml-dtypes.ts';

/** The float32 bit pattern of a double rounded by the machine (RNE, subnormals, overflow to inf). */
function f32Bits(x: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, Math.fround(x));
  return v.getUint32(0);
}

/** encodeDyadic of a double's exact value (the double must be finite). */
function encodeDouble(r: Format, x: number, saturate: boolean): number {
  if (x === 0) return Object.is(x, -0) ? r.encodeDyadic(0n, 0, { saturate }) | (r.specials === 'fnuz' ? 0 : 2 ** (r.bits - 1)) : 0;
  const { mant, exp } = exactParts(Math.abs(x));
  return r.encodeDyadic(x < 0 ? -mant : mant, exp, { saturate });
}

/** A dyadic n · 2^k that is exact as a double: |n| < 2^53 and k within reach of normal doubles. */
const dyadic = (minExp: number, maxExp: number) =>
  fc.record({ n: fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }).filter((n) => n !== 0n), k: fc.integer({ min: minExp, max: maxExp }) });

describe('result format parsing', () => {
  it.each([
    ['fp32', 'e8m23ieee', 32, 127, 3.4028234663852886e38, 2 ** -149],
    ['float32', 'e8m23ieee', 32, 127, 3.4028234663852886e38, 2 ** -149],
    ['BF16', 'e8m7ieee', 16, 127, 3.3895313892515355e38, 2 ** -133],
    ['bfloat16', 'e8m7ieee', 16, 127, 3.3895313892515355e38, 2 ** -133],
    ['fp16', 'e5m10ieee', 16, 15, 65504, 2 ** -24],
    ['half', 'e5m10ieee', 16, 15, 65504, 2 ** -24],
    ['float8_e4m3fn', 'e4m3fn', 8, 7, 448, 2 ** -9],
    ['e2m3', 'e2m3', 6, 1, 7.5, 2 ** -3],
    ['e8m20b100fnuz', 'e8m20b100fnuz', 29, 100, (2 - 2 ** -20) * 2 ** 155, 2 ** -119],
  ])('%s is %s', (text, spec, bits, bias, max, minSub) => {
    const r = parseResultFormat(text);
    expect([r.spec, r.bits, r.bias, r.max, r.minSubnormal]).toEqual([spec, bits, bias, max, minSub]);
  });

  it('fp32 decodes on demand like the machine reads float32 bits', () => {
    const r = parseResultFormat('fp32');
    const v = new DataView(new ArrayBuffer(4));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (code) => {
        v.setUint32(0, code);
        const want = v.getFloat32(0);
        const got = r.value(code);
        expect(Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want)).toBe(true);
      }),
      { numRuns: 5000, seed: 11 },
    );
  });

  it('the closed-form max equals the scan of every code, for every operand format', () => {
    let n = 0;
    for (let E = 1; E <= 8; E++) {
      for (let M = 0; E + M + 1 <= 16; M++) {
        if (E + M + 1 < 3) continue;
        for (const v of ['', 'fn', 'ieee', 'fnuz']) {
          const f = parseFormat(`e${E}m${M}${v}`);
          expect(maxUnitsClosedForm(f), f.spec).toBe(f.maxUnits);
          n++;
        }
      }
    }
    for (const s of ['int2', 'int16', 'uint1', 'uint16']) expect(maxUnitsClosedForm(parseFormat(s))).toBe(parseFormat(s).maxUnits);
    expect(n).toBeGreaterThan(300);
  });
});

describe('encodeDyadic into fp32, bf16 and fp16 against independent roundings', () => {
  const fp32 = parseResultFormat('fp32');
  const bf16 = parseResultFormat('bf16');
  const fp16 = parseResultFormat('fp16');

  it('fp32: Math.fround, non-saturating (inf past max) and saturating (±max)', () => {
    // exponents from deep below the subnormals to past the max
    fc.assert(
      fc.property(dyadic(-230, 80), ({ n, k }) => {
        const x = Number(n) * 2 ** k;
        const bits = f32Bits(x);
        expect(fp32.encodeDyadic(n, k, { saturate: false })).toBe(bits);
        const inf = (bits & 0x7fffffff) === 0x7f800000;
        expect(fp32.encodeDyadic(n, k, { saturate: true })).toBe(inf ? ((bits & 0x80000000) >>> 0) + 0x7f7fffff : bits);
      }),
      { numRuns: 20000, seed: 1 },
    );
  });

  it('fp32: ties to even and odd neighbours, subnormals and values just above max', () => {
    const cases: [bigint, number][] = [
      [(1n << 24n) + 1n, 0], // tie, even neighbour below: stays 2^24
      [(1n << 24n) + 3n, 0], // tie, odd neighbour below: goes up
      [3n, -150], // 1.5 min subnormal: tie to 2 · min subnormal (even)
      [1n, -150], // half the min subnormal: to +0
      [-1n, -150], // to −0
      [3n, -151], // 0.75 min subnormal: up
      [(1n << 25n) - 1n, 103], // max + half an ulp exactly: the tie goes to the even 2^128, so inf
      [(1n << 24n) - 1n, 104], // max exactly
      [(2n ** 25n - 1n) * 2n - 1n, 102], // 2^102 below the tie: max
    ];
    for (const [n, k] of cases) {
      const x = Number(n) * 2 ** k;
      expect(fp32.encodeDyadic(n, k, { saturate: false }), `${n}·2^${k}`).toBe(f32Bits(x));
    }
  });

  it('fp32 with more bits than a double: n of 200 bits rounds like its top 60 bits plus a sticky', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 200n }), fc.integer({ min: -400, max: -100 }), (n, k) => {
        // reduce n to 60 bits and a sticky bit (an odd LSB): the same float32 rounding, exact in a double
        const len = n.toString(2).length;
        const drop = Math.max(0, len - 60);
        let top = n >> BigInt(drop);
        if (drop > 0 && (n & ((1n << BigInt(drop)) - 1n)) !== 0n) top |= 1n;
        const x = Number(top >> 8n) * 2 ** (k + drop + 8) + Number(top & 255n) * 2 ** (k + drop);
        expect(fp32.encodeDyadic(n, k, { saturate: false })).toBe(f32Bits(x));
      }),
      { numRuns: 3000, seed: 4 },
    );
  });

  it('bf16: RNE on the float32 bit pattern (+0x7FFF + lsb), for values exact in float32', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 24) + 1, max: 2 ** 24 - 1 }).filter((n) => n !== 0), fc.integer({ min: -170, max: 104 }), (n, k) => {
        const x = n * 2 ** k;
        const b = f32Bits(x);
        if (f32Bits(x) !== f32Bits(Math.fround(x)) || Math.fround(x) !== x) return; // not exact in float32
        const want = ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
        expect(bf16.encodeDyadic(BigInt(n), k, { saturate: false })).toBe(want);
      }),
      { numRuns: 20000, seed: 2 },
    );
  });

  it('fp16: the nearest of every code value from the IEEE formula, ties to the even code, inf past the tie above max', () => {
    // every non-negative finite fp16 value, then +inf as the code after max (ties at 65520 go to it: even)
    const values: number[] = [];
    for (let e = 0; e < 31; e++) for (let m = 0; m < 1024; m++) values.push(e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
    values.push(65536);
    const nearest = (a: number): number => {
      let lo = 0;
      let hi = values.length - 1;
      if (a >= values[hi]) return hi;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (values[mid] <= a) lo = mid;
        else hi = mid;
      }
      const dl = a - values[lo];
      const dh = values[hi] - a;
      return dl < dh ? lo : dh < dl ? hi : lo % 2 === 0 ? lo : hi;
    };
    fc.assert(
      fc.property(dyadic(-40, 5), ({ n, k }) => {
        const x = Number(n) * 2 ** k;
        const mag = nearest(Math.abs(x));
        const want = (x < 0 ? 0x8000 : 0) + mag;
        expect(fp16.encodeDyadic(n, k, { saturate: false })).toBe(want);
        expect(fp16.encodeDyadic(n, k, { saturate: true })).toBe(mag === 0x7c00 ? (x < 0 ? 0xfbff : 0x7bff) : want);
      }),
      { numRuns: 20000, seed: 3 },
    );
  });
});

describe('encodeDyadic into the 8-bit types matches ml_dtypes', () => {
  for (const [mlName, ref] of Object.entries(REF.types)) {
    it(mlName, () => {
      const r = parseResultFormat(FORMAT_ALIASES[mlName] ?? mlName);
      let checked = 0;
      for (const [hex, code] of ref.encode) {
        const x = fromHex(hex);
        if (!Number.isFinite(x) || x === 0) continue;
        expect(encodeDouble(r, x, false), `${mlName} ${hex}`).toBe(code);
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    });
  }

  it('±inf encodes by mode and variant', () => {
    const cases: [string, boolean, number, number][] = [
      ['e5m2ieee', false, 0x7c, 0xfc],
      ['e5m2ieee', true, 0x7b, 0xfb],
      ['e4m3fn', false, 0x7f, 0xff],
      ['e4m3fn', true, 0x7e, 0xfe],
      ['e4m3fnuz', false, 0x80, 0x80],
      ['e4m3fnuz', true, 0x7f, 0xff],
      ['e4m3', false, 0x7f, 0xff],
      ['e3m0ieee', false, 0x70 >> 4, 0xf],
    ];
    for (const [spec, saturate, pos, neg] of cases) {
      const r = parseResultFormat(spec);
      expect([r.encodeInfinity(false, { saturate }), r.encodeInfinity(true, { saturate })], `${spec} ${saturate}`).toEqual([pos, neg]);
    }
  });
});
