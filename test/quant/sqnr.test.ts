/** Quantization error facts: the SQNR of formats on seeded synthetic tensors, and the scale rules. */
import { describe, expect, it } from 'vitest';
import { sample } from '../../quant/dist.ts';
import { quantizerFor } from '../../quant/lut.ts';
import { measure, type ScaleRule, type Tensor } from '../../quant/measure.ts';

const tensorOf = (dist: 'gauss' | 'laplace' | 'student3' | 'uniform', n: number, seed = 1): Tensor => ({
  name: dist,
  shape: [n],
  data: sample(dist, n, seed),
});
const sqnr = (fmt: string, t: Tensor, scale?: ScaleRule): number => measure(quantizerFor(fmt), t, { scale }).sqnrDb;

describe('SQNR with the absmax scale (10^6 samples)', () => {
  const uniform = tensorOf('uniform', 1e6);
  const gauss = tensorOf('gauss', 1e6);
  const student = tensorOf('student3', 1e6);

  it('uniform: int8 gives 6.02·8 ≈ 48.2 dB within 0.3 dB', () => {
    expect(Math.abs(sqnr('int8', uniform) - 48.16)).toBeLessThan(0.3);
  });

  it('Gaussian: int8 beats e4m3 and e5m2, e2m1 beats int4; each near the independently measured figure', () => {
    const s = Object.fromEntries(['int8', 'e4m3', 'e5m2', 'e2m1', 'int4'].map((f) => [f, sqnr(f, gauss)]));
    expect(s.int8).toBeGreaterThan(s.e4m3);
    expect(s.int8).toBeGreaterThan(s.e5m2);
    expect(s.e2m1).toBeGreaterThan(s.int4);
    // Independent figures (another seed): int8 38.9, e4m3 31.6, e5m2 25.6, e2m1 17.3, int4 14.8 dB.
    const ref: Record<string, number> = { int8: 38.9, e4m3: 31.6, e5m2: 25.6, e2m1: 17.3, int4: 14.8 };
    for (const f of Object.keys(ref)) expect(Math.abs(s[f] - ref[f])).toBeLessThan(1);
  });

  it('Student-t(3): e4m3 beats int8 by more than 10 dB (31.6 vs 13.7 measured independently)', () => {
    const e4m3 = sqnr('e4m3', student);
    const int8 = sqnr('int8', student);
    expect(e4m3 - int8).toBeGreaterThan(10);
    expect(Math.abs(e4m3 - 31.6)).toBeLessThan(0.5);
    expect(Math.abs(int8 - 13.7)).toBeLessThan(1);
  });
});

describe('equal grids score equally', () => {
  it('e1m<N-2> and int<N> are the same grid under the symmetric scale', () => {
    const t = tensorOf('laplace', 1e5, 11);
    for (let N = 3; N <= 10; N++) expect(sqnr(`e1m${N - 2}`, t)).toBe(sqnr(`int${N}`, t));
    expect(sqnr('e2m3', t)).not.toBe(sqnr('int6', t));
  });
});

describe('one more mantissa bit at equal exponent bits raises SQNR (seeded 10^5 tensors)', () => {
  for (const dist of ['gauss', 'laplace'] as const) {
    it(dist, () => {
      const t = tensorOf(dist, 1e5, 7);
      for (let E = 1; E <= 6; E++) {
        for (let M = 0; 1 + E + M + 1 <= 12; M++) {
          if (1 + E + M < 3) continue;
          const lo = sqnr(`e${E}m${M}`, t);
          const hi = sqnr(`e${E}m${M + 1}`, t);
          expect(hi, `e${E}m${M + 1} vs e${E}m${M}`).toBeGreaterThan(lo);
        }
      }
    });
  }
});

describe('scale rules', () => {
  const t = tensorOf('student3', 1e5, 3);

  it('mse never does worse than absmax (absmax is on its search grid) and helps int4 on heavy tails', () => {
    for (const f of ['int8', 'int4', 'e2m1', 'e4m3']) {
      expect(sqnr(f, t, { kind: 'mse' })).toBeGreaterThanOrEqual(sqnr(f, t));
    }
    expect(sqnr('int4', t, { kind: 'mse' }) - sqnr('int4', t)).toBeGreaterThan(5); // 9.7 vs 1.4 dB here
  });

  it('an all-zero channel quantizes exactly (SQNR inf) and keeps the others measured', () => {
    const data = new Float64Array(200);
    for (let i = 100; i < 200; i++) data[i] = Math.sin(i);
    const m = measure(quantizerFor('int8'), { name: 'z', shape: [2, 100], data }, { axis: 0 });
    expect([...m.scales].slice(0, 1)).toEqual([1]);
    expect(Number.isFinite(m.sqnrDb)).toBe(true);
    const zero = measure(quantizerFor('e4m3'), { name: 'z', shape: [100], data: data.subarray(0, 100) });
    expect(zero).toMatchObject({ sqnrDb: Infinity, mse: 0, flushed: 0, clipped: 0 });
  });

  it('percentile:100 is absmax, and a lower percentile clips that fraction', () => {
    const q = quantizerFor('int8');
    expect(measure(q, t, { scale: { kind: 'percentile', p: 100 } }).sqnrDb).toBe(measure(q, t).sqnrDb);
    const m = measure(q, t, { scale: { kind: 'percentile', p: 99 } });
    expect(m.clipped).toBeGreaterThan(0.005);
    expect(m.clipped).toBeLessThanOrEqual(0.01);
  });

  it('per-channel scales beat one per-tensor scale when channels differ in range', () => {
    const base = sample('gauss', 64 * 256, 5);
    const data = base.map((x, i) => x * 2 ** (Math.floor(i / 256) % 8)); // row r scaled by 2^(r mod 8)
    const tensor: Tensor = { name: 'rows', shape: [64, 256], data };
    const q = quantizerFor('int4');
    const perRow = measure(q, tensor, { axis: 0 });
    expect(perRow.scales).toHaveLength(64);
    expect(perRow.sqnrDb).toBeGreaterThan(measure(q, tensor).sqnrDb + 3);
    // Along axis 1 every channel spans all rows, so it is no better than per tensor.
    expect(measure(q, tensor, { axis: 1 }).sqnrDb).toBeLessThan(perRow.sqnrDb);
  });
});
