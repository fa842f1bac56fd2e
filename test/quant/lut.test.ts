/** The lookup-table quantizer equals `Format.encode` + `value` (saturating, RNE) exactly. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFormat, type Format } from '../../generators/formats/format.ts';
import { emptySums, quantizerFor } from '../../quant/lut.ts';

const SPECS = [
  'e4m3', 'e4m3fn', 'e5m2', 'e5m2ieee', 'e4m3ieee', 'e3m4ieee', 'e4m3fnuz', 'e5m2fnuz', 'e4m3b11fnuz',
  'e3m2', 'e2m3', 'e2m1', 'e2m1fn', 'e3m2fn', 'e1m1', 'e2m0', 'e1m2', 'e3m0ieee', 'e2m0fn', 'e4m3b-3',
  'e6m1', 'e7m0', 'e5m10', 'e8m7', 'e1m14', 'int3', 'int4', 'int8', 'int16', 'uint1', 'uint4', 'uint8',
];

/** The golden answer: value(encode(y)), −0 folded into 0. */
function golden(f: Format, y: number): number {
  const v = f.value(f.encode(y, { saturate: true }));
  return v === 0 ? 0 : v;
}

function nextAfter(x: number, up: boolean): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  if (x === 0) return up ? 5e-324 : -5e-324;
  u[0] += (x > 0) === up ? 1n : -1n;
  return b[0];
}

/**
 * Every finite value, every midpoint between neighbours, and both signs; with their neighbouring
 * doubles up to 12 bits (wider formats check those in the quantizer's own build-time verification).
 */
function boundaryInputs(f: Format): number[] {
  const vals = new Set<number>();
  for (let c = 0; c < f.codeCount; c++) {
    const v = f.value(c);
    if (Number.isFinite(v)) vals.add(Math.abs(v));
  }
  const sorted = [...vals].sort((a, b) => a - b);
  const pts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    pts.push(sorted[i]);
    if (i + 1 < sorted.length) pts.push((sorted[i] + sorted[i + 1]) / 2);
  }
  const top = sorted[sorted.length - 1];
  pts.push(top * 1.01, top * 2, top * 1e6, f.minSubnormal / 4, 1e-300, 5e-324);
  const out: number[] = [];
  const near = f.bits <= 12;
  for (const p of pts) for (const q of near ? [p, nextAfter(p, true), nextAfter(p, false)] : [p]) out.push(q, -q);
  return out;
}

describe('lookup-table quantizer', () => {
  for (const spec of SPECS) {
    it(`${spec}: equals encode on every value, midpoint (tie) and their neighbours`, () => {
      const f = parseFormat(spec);
      const q = quantizerFor(f);
      const ys = boundaryInputs(f);
      const out = new Float64Array(ys.length);
      q.run(Float64Array.from(ys), 0, ys.length, 1, emptySums(), out);
      const bad = ys.map((y, i) => [y, out[i] === 0 ? 0 : out[i], golden(f, y)]).filter(([, a, b]) => a !== b);
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('equals encode on random doubles at random scales (fast-check)', () => {
    const specs = ['e4m3', 'e4m3fn', 'e2m1', 'e5m2ieee', 'int8', 'int4', 'uint4', 'e4m3b11fnuz', 'e3m4ieee'];
    fc.assert(
      fc.property(
        fc.constantFrom(...specs),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 40 }),
        fc.double({ noNaN: true, min: 1e-8, max: 1e4 }),
        (spec, xs, scale) => {
          const f = parseFormat(spec);
          const out = new Float64Array(xs.length);
          const sums = emptySums();
          quantizerFor(f).run(Float64Array.from(xs), 0, xs.length, scale, sums, out);
          let noise = 0;
          xs.forEach((x, i) => {
            const want = golden(f, x / scale) * scale;
            expect(out[i] === 0 ? 0 : out[i]).toBe(want === 0 ? 0 : want);
            noise += (x - want) ** 2;
          });
          expect(sums.n).toBe(xs.length);
          expect(sums.noise).toBeCloseTo(noise, 6);
        },
      ),
      { numRuns: 300, seed: 6 },
    );
  });

  it('counts clipped and flushed elements and skips non-finite ones', () => {
    const q = quantizerFor('e2m1'); // values 0, 0.5, 1, 1.5, 2, 3, 4, 6
    const xs = Float64Array.of(0.2, -0.25, 0.26, 7.01, -100, 6.9, 0, NaN, Infinity); // clipped beyond 7 = 6 + 2/2
    const sums = emptySums();
    const out = new Float64Array(xs.length);
    q.run(xs, 0, xs.length, 1, sums, out);
    expect([...out.subarray(0, 7)].map((v) => (v === 0 ? 0 : v))).toEqual([0, 0, 0.5, 6, -6, 6, 0]);
    expect(Number.isNaN(out[7]) && Number.isNaN(out[8])).toBe(true);
    expect(sums).toMatchObject({ n: 7, clipped: 2, flushed: 2 });
  });

  it('uses the symmetric range for integers: int8 ±127, uint4 15', () => {
    expect(quantizerFor('int8').rangeMax).toBe(127);
    expect(quantizerFor('uint4').rangeMax).toBe(15);
    expect(quantizerFor('e4m3fn').rangeMax).toBe(448);
  });
});
