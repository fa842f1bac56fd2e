/**
 * Golden model tests. The model (BigInt units, shift-register pipeline) is checked against a
 * second model written differently: products as JS doubles (IEEE semantics give NaN for NaN
 * operands and inf × 0, and signed infinities, independently of the model's decode), the grid
 * by Math.floor / explicit half-even, and the pipeline as a schedule of apply times.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MacConfig, type MacRequest } from '../../../generators/config/mac-config.ts';
import { contribution, laneProduct, run, type EdgeInputs } from '../../../generators/golden/mac-model.ts';

interface PlainOut {
  acc: number;
  ovf: boolean;
  nan: boolean;
  pinf: boolean;
  ninf: boolean;
}

function halfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The second model: doubles throughout; valid while every value stays below 2^53. */
function plainRun(cfg: MacConfig, edges: readonly EdgeInputs[]): PlainOut[] {
  const W = cfg.accWidth;
  const span = 2 ** W;
  const min = -(2 ** (W - 1));
  const max = 2 ** (W - 1) - 1;
  const p = cfg.pipeline;
  const scheduled = new Map<number, { en: boolean; clr: boolean; value: number; nan: boolean; pinf: boolean; ninf: boolean }>();
  let s: PlainOut = { acc: 0, ovf: false, nan: false, pinf: false, ninf: false };
  const out: PlainOut[] = [];
  edges.forEach((e, k) => {
    if (e.rst) {
      // Drop what would land at this edge or during the next p - 1 edges: all beats in flight.
      for (let t = k; t < k + p; t++) scheduled.delete(t);
      s = { acc: 0, ovf: false, nan: false, pinf: false, ninf: false };
      out.push({ ...s });
      return;
    }
    if (e.en || e.clr) {
      let value = 0;
      let nan = false;
      let pinf = false;
      let ninf = false;
      if (e.en) {
        for (let i = 0; i < cfg.lanes; i++) {
          const prod = cfg.a.value(e.a[i]) * cfg.w.value(e.w[i]);
          if (Number.isNaN(prod)) nan = true;
          else if (prod === Infinity) pinf = true;
          else if (prod === -Infinity) ninf = true;
          else {
            const scaled = prod * 2 ** cfg.accFrac;
            value += cfg.accRound === 'floor' ? Math.floor(scaled) : halfEven(scaled);
          }
        }
      }
      scheduled.set(k + p, { en: e.en, clr: e.clr, value, nan, pinf, ninf });
    }
    const b = scheduled.get(k);
    scheduled.delete(k);
    if (b && b.en) {
      const sum = (b.clr ? 0 : s.acc) + b.value;
      const oor = sum < min || sum > max;
      const acc = !oor ? sum : cfg.overflow === 'sat' ? (sum < min ? min : max) : ((((sum - min) % span) + span) % span) + min;
      s = {
        acc,
        ovf: (!b.clr && s.ovf) || oor,
        nan: (!b.clr && s.nan) || b.nan,
        pinf: (!b.clr && s.pinf) || b.pinf,
        ninf: (!b.clr && s.ninf) || b.ninf,
      };
    } else if (b && b.clr) {
      s = { acc: 0, ovf: false, nan: false, pinf: false, ninf: false };
    }
    out.push({ ...s });
  });
  return out;
}

/** Configurations small enough for doubles to be exact, covering every rule. */
const CONFIGS: MacRequest[] = [
  { fmt: 'e4m3', acc: 16 },
  { fmt: 'e4m3', acc: 16, accRound: 'rne', overflow: 'sat' },
  { fmt: 'e2m1', acc: 6, lanes: 3, pipeline: 2 },
  { fmt: 'e3m2', acc: 10, accRound: 'rne', lanes: 2, pipeline: 1, overflow: 'sat' },
  { fmt: 'e4m3fn', acc: 20, pipeline: 3 },
  { fmt: 'e5m2ieee', acc: 24, accRound: 'rne', lanes: 2 },
  { fmt: 'e4m3fnuz', acc: 12, overflow: 'sat' },
  { afmt: 'e3m2ieee', wfmt: 'int4', acc: 12, lanes: 2, pipeline: 1 },
  { fmt: 'int4', acc: 6, accFrac: 0, overflow: 'sat', pipeline: 2 },
  { afmt: 'uint3', wfmt: 'int3', acc: 5, lanes: 4 },
  { fmt: 'e2m0ieee', acc: 8, accFrac: 3, accRound: 'rne' },
  { fmt: 'e4m3', acc: 30, accFrac: 25 },
  { fmt: 'e3m2fn', acc: 4, accFrac: -3, accRound: 'rne', overflow: 'sat' },
];

function edgeArb(cfg: MacConfig): fc.Arbitrary<EdgeInputs> {
  const code = (f: { codeCount: number }) => fc.integer({ min: 0, max: f.codeCount - 1 });
  return fc.record({
    rst: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    en: fc.boolean(),
    clr: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    a: fc.array(code(cfg.a), { minLength: cfg.lanes, maxLength: cfg.lanes }),
    w: fc.array(code(cfg.w), { minLength: cfg.lanes, maxLength: cfg.lanes }),
  });
}

describe('golden model against the plain-number model, every cycle', () => {
  it.each(CONFIGS)('%j', (req) => {
    const cfg = new MacConfig(req);
    const start: EdgeInputs = { rst: true, en: false, clr: false, a: [], w: [] };
    fc.assert(
      fc.property(fc.array(edgeArb(cfg), { minLength: 1, maxLength: 60 }), (edges) => {
        const seq = [start, ...edges];
        const golden = run(cfg, seq).map((s) => ({ acc: Number(s.acc), ovf: s.ovf, nan: s.nan, pinf: s.pinf, ninf: s.ninf }));
        expect(golden).toEqual(plainRun(cfg, seq));
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});

describe('golden model properties', () => {
  it.each(['e4m3', 'e4m3fn', 'e5m2ieee', 'e4m3fnuz', 'e2m1', 'int8', 'e3m4ieee'])(
    '%s × itself is commutative for every pair (floor and rne)',
    (fmt) => {
      for (const accRound of ['floor', 'rne']) {
        const cfg = new MacConfig({ fmt, acc: 12, accRound });
        const n = cfg.a.codeCount;
        for (let a = 0; a < n; a++)
          for (let w = a + 1; w < n; w++) expect(laneProduct(cfg, a, w)).toEqual(laneProduct(cfg, w, a));
      }
    },
  );

  it('a product is exact when the accumulator is at least P wide', () => {
    const cfg = new MacConfig({ fmt: 'e4m3' });
    for (let a = 0; a < 256; a += 7)
      for (let w = 0; w < 256; w += 5) {
        const exact = cfg.a.value(a) * cfg.w.value(w) * 2 ** cfg.accFrac;
        expect(Number(laneProduct(cfg, a, w).aligned)).toBe(exact === 0 ? 0 : exact);
      }
  });

  it('wrap and sat on a run of same-sign maximum products, ovf sticky until clr', () => {
    // int4 × int4: max product (-8)(-8) = 64; acc 8 bits holds -128..127.
    const edges = (clrAt: number): EdgeInputs[] => [
      { rst: true, en: false, clr: false, a: [0], w: [0] },
      ...Array.from({ length: 4 }, (_, i) => ({ rst: false, en: true, clr: i === clrAt, a: [8], w: [8] })),
    ];
    const wrap = run(new MacConfig({ fmt: 'int4', acc: 8 }), edges(-1));
    expect(wrap.map((s) => Number(s.acc))).toEqual([0, 64, -128, -64, 0]);
    expect(wrap.map((s) => s.ovf)).toEqual([false, false, true, true, true]);
    const sat = run(new MacConfig({ fmt: 'int4', acc: 8, overflow: 'sat' }), edges(3));
    expect(sat.map((s) => Number(s.acc))).toEqual([0, 64, 127, 127, 64]);
    expect(sat.map((s) => s.ovf)).toEqual([false, false, true, true, false]);
  });

  it('clr with en starts a new sum; clr without en zeroes; rst drops beats in flight', () => {
    const cfg = new MacConfig({ fmt: 'int4', acc: 10, pipeline: 2 });
    const beat = (a: number, clr = false): EdgeInputs => ({ rst: false, en: true, clr, a: [a], w: [1] });
    const idle = (clr = false, rst = false): EdgeInputs => ({ rst, en: false, clr, a: [0], w: [0] });
    const seq = [idle(false, true), beat(3), beat(2), beat(1, true), idle(true), idle(), beat(5), idle(false, true), idle(), idle()];
    // Beats land two edges after they are sampled: 3 at edge 3, 2 at 4, (1, clr) at 5, clr alone at 6.
    // The beat of 5 sampled at edge 6 is in flight when rst comes at edge 7, so it never lands.
    expect(run(cfg, seq).map((s) => Number(s.acc))).toEqual([0, 0, 0, 3, 5, 1, 0, 0, 0, 0]);
  });

  it('special operands: NaN, inf × 0, and signed infinities count as 0 with sticky flags', () => {
    const cfg = new MacConfig({ fmt: 'e5m2ieee', acc: 40, lanes: 2 });
    const f = cfg.a;
    const one = f.encode(1);
    const inf = f.encode(Infinity, { saturate: false });
    const ninf = f.encode(-Infinity, { saturate: false });
    const nan = f.encode(NaN);
    const c1 = contribution(cfg, [inf, one], [one, one]);
    expect(c1).toEqual({ value: 1n << BigInt(cfg.accFrac), nan: false, pinf: true, ninf: false });
    const c2 = contribution(cfg, [inf, ninf], [f.encode(-0), one]);
    expect(c2).toEqual({ value: 0n, nan: true, pinf: false, ninf: true });
    const c3 = contribution(cfg, [nan, one], [one, f.encode(-2)]);
    expect(c3).toEqual({ value: -(2n << BigInt(cfg.accFrac)), nan: true, pinf: false, ninf: false });
  });

  it('pipeline p delays a beat by exactly p edges', () => {
    for (let p = 0; p <= 4; p++) {
      const cfg = new MacConfig({ fmt: 'int4', acc: 8, pipeline: p });
      const seq: EdgeInputs[] = [
        { rst: true, en: false, clr: false, a: [0], w: [0] },
        { rst: false, en: true, clr: false, a: [3], w: [2] },
        ...Array.from({ length: 6 }, () => ({ rst: false, en: false, clr: false, a: [0], w: [0] })),
      ];
      const first = run(cfg, seq).findIndex((s) => s.acc !== 0n);
      expect(first).toBe(1 + p);
    }
  });
});

describe('the comparison can fail', () => {
  // A golden model with the wrong rounding or overflow mode must disagree with the plain model.
  it.each([
    [{ fmt: 'e4m3', acc: 16, accRound: 'rne' }, { accRound: 'floor' }],
    [{ fmt: 'int4', acc: 6, accFrac: 0, overflow: 'sat' }, { overflow: 'wrap' }],
    [{ fmt: 'e2m1', acc: 6, pipeline: 2 }, { pipeline: 1 }],
  ] as [MacRequest, MacRequest][])('%j mutated by %j', (req, mutation) => {
    const cfg = new MacConfig(req);
    const wrong = new MacConfig({ ...req, ...mutation });
    const start: EdgeInputs = { rst: true, en: false, clr: false, a: [], w: [] };
    const found = fc.check(
      fc.property(fc.array(edgeArb(cfg), { minLength: 1, maxLength: 60 }), (edges) => {
        const seq = [start, ...edges];
        const golden = run(wrong, seq).map((s) => ({ acc: Number(s.acc), ovf: s.ovf, nan: s.nan, pinf: s.pinf, ninf: s.ninf }));
        return JSON.stringify(golden) === JSON.stringify(plainRun(cfg, seq));
      }),
      { seed: 7, numRuns: 150 },
    );
    expect(found.failed).toBe(true);
  });
});
