/**
 * The golden model's float result (contract §2, Float result): conv of a state against the
 * machine's float32 rounding and hand-worked codes, and the timing of `res` (after edge t it is
 * conv(S(t − 1 − q)); an edge with rst clears it to +0 for q + 1 edges).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacConfig } from '../../../generators/config/mac-config.ts';
import { conv, run, type EdgeInputs } from '../../../generators/golden/mac-model.ts';
import { sequenceArbitrary, withReset } from '../../../sim/stimulus.ts';

const none = { nan: false, pinf: false, ninf: false };

/** The float32 bit pattern of a double rounded by the machine. */
function f32Bits(x: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, Math.fround(x));
  return v.getUint32(0);
}

describe('conv', () => {
  it('into fp32 is Math.fround of acc · 2^-frac wherever that is exact as a double', () => {
    for (const [acc, frac] of [
      [52, 30],
      [40, -100],
      [300, 200],
    ]) {
      const cfg = new MacConfig({ fmt: 'e4m3', acc, accFrac: frac, result: 'fp32', resultOverflow: 'inf' });
      fc.assert(
        fc.property(fc.bigInt({ min: -(2n ** BigInt(Math.min(acc, 53) - 1)), max: 2n ** BigInt(Math.min(acc, 53) - 1) - 1n }), (a) => {
          expect(conv(cfg, { acc: a, ...none })).toBe(f32Bits(Number(a) * 2 ** -frac));
        }),
        { numRuns: 3000, seed: acc },
      );
    }
  });

  it('hand-worked codes: e4m3 acc 16 (LSB 8) into e2m1, sat and inf', () => {
    // e2m1: 0, 0.5, 1, 1.5, 2, 3, 4, 6; acc · 8 is the value
    const sat = new MacConfig({ fmt: 'e4m3', acc: 16, result: 'e2m1' });
    const e5 = new MacConfig({ fmt: 'e4m3', acc: 16, result: 'e5m2ieee', resultOverflow: 'inf' });
    const c = (cfg: MacConfig, acc: bigint, f = none) => conv(cfg, { acc, ...f });
    expect(c(sat, 0n)).toBe(0b0000);
    expect(c(sat, -1n)).toBe(0b1111); // −8 saturates to −6
    expect(c(sat, 1n)).toBe(0b0111); // 8 saturates to 6
    // e5m2ieee: 8 = 1.0·2^3 → e = 18, code 0 10010 00; 40 = 1.25·2^5 → e = 20, m = 01
    expect(c(e5, 1n)).toBe(0b0_10010_00);
    expect(c(e5, 5n)).toBe(0b0_10100_01);
    // 7·8 = 56 = 1.75·2^5 exactly; 9·8 = 72 = 1.125·2^6 is a tie between 64 (m 00, even) and 80 (m 01): 64
    expect(c(e5, 9n)).toBe(0b0_10101_00);
    // 11·8 = 88 = 1.375·2^6, a tie between 80 (m 01, odd) and 96 (m 10): 96
    expect(c(e5, 11n)).toBe(0b0_10101_10);
    expect(c(e5, -11n)).toBe(0b1_10101_10);
    // flags: NaN with sign 0; both infinities are NaN too; one infinity is ±inf in inf mode, ±max when saturating
    expect(c(e5, 3n, { nan: true, pinf: false, ninf: false })).toBe(0b0_11111_10);
    expect(c(e5, 3n, { nan: false, pinf: true, ninf: true })).toBe(0b0_11111_10);
    expect(c(e5, 3n, { nan: false, pinf: false, ninf: true })).toBe(0b1_11111_00);
    expect(c(sat, 0n, { nan: false, pinf: true, ninf: false })).toBe(0b0111);
    // e2m1 has no NaN: NaN gives +0
    expect(c(sat, -1n, { nan: true, pinf: false, ninf: false })).toBe(0);
  });

  it('−0 for a negative value that rounds to zero, +0 in fnuz', () => {
    const ieee = new MacConfig({ fmt: 'int4', acc: 8, accFrac: 20, result: 'e2m1' });
    const fnuz = new MacConfig({ fmt: 'int4', acc: 8, accFrac: 20, result: 'e4m3fnuz' });
    expect(conv(ieee, { acc: -1n, ...none })).toBe(0b1000);
    expect(conv(fnuz, { acc: -1n, ...none })).toBe(0);
  });
});

describe('res timing', () => {
  for (const [p, q] of [
    [0, 0],
    [2, 0],
    [0, 3],
    [1, 2],
  ]) {
    it(`res after edge t = conv(S(t − 1 − q)), and rst clears it for q + 1 edges (p ${p}, q ${q})`, () => {
      const cfg = new MacConfig({ fmt: 'e3m2', acc: 10, result: 'e2m1', pipeline: p, resultPipeline: q });
      fc.assert(
        fc.property(sequenceArbitrary(cfg, 60), (seq) => {
          const edges: EdgeInputs[] = withReset(seq);
          const states = run(cfg, edges);
          for (let t = 0; t < edges.length; t++) {
            const rstInWindow = edges.slice(Math.max(0, t - q), t + 1).some((e) => e.rst);
            const from = t - 1 - q;
            const want = rstInWindow || from < 0 ? 0 : conv(cfg, states[from]);
            expect(states[t].res, `edge ${t}`).toBe(want);
          }
        }),
        { numRuns: 200, seed: p * 10 + q },
      );
    });
  }

  it('a beat sampled at edge k shows in res after edge k + p + 1 + q (manifest latency p + 2 + q)', () => {
    const cfg = new MacConfig({ fmt: 'e3m2', acc: 16, result: 'e2m1', pipeline: 2, resultPipeline: 1 });
    expect(cfg.resultLatency).toBe(5);
    const idle: EdgeInputs = { rst: false, en: false, clr: false, a: [0], w: [0] };
    // 0x0c is 1.0 in e3m2 (e = 3 = bias): one beat of 1 · 1 = 1.0, which is 0b0010 in e2m1
    const edges = [{ ...idle, rst: true }, { ...idle, en: true, clr: true, a: [0x0c], w: [0x0c] }, ...Array<EdgeInputs>(6).fill(idle)];
    const res = run(cfg, edges).map((s) => s.res);
    expect(res).toEqual([0, 0, 0, 0, 0, 0b0010, 0b0010, 0b0010]); // k = 1: res after edge 1 + 2 + 1 + 1 = 5
  });
});
