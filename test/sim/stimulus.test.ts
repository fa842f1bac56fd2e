/** The stimulus itself (sim/stimulus.ts), in TypeScript only: what it reaches, not what a simulator makes of it. */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { formatsOfWidth } from '../../generators/formats/format.ts';
import { laneProduct, run } from '../../generators/golden/mac-model.ts';
import { buildStimulus, CLOSERS, maxProductCodes } from '../../sim/stimulus.ts';

/** The aligned products of the pairs maxProductCodes picked (0 for none). */
function extremes(cfg: MacConfig, exhaustiveBits?: number): [bigint, bigint] {
  const { pos, neg } = maxProductCodes(cfg, exhaustiveBits);
  const v = (p: [number, number] | null) => (p ? laneProduct(cfg, p[0], p[1]).aligned : 0n);
  return [v(pos), v(neg)];
}

describe('maxProductCodes', () => {
  it('finds the most negative products the edge codes lack (int3: −4 × 3, int8: −128 × 127)', () => {
    expect(extremes(new MacConfig({ fmt: 'int3' }))).toEqual([16n, -12n]);
    expect(extremes(new MacConfig({ fmt: 'int8' }))).toEqual([16384n, -16256n]);
    expect(extremes(new MacConfig({ afmt: 'uint4', wfmt: 'int4' }))).toEqual([105n, -120n]);
    expect(extremes(new MacConfig({ fmt: 'uint4' }))).toEqual([225n, 0n]);
  });

  it('the candidate set (least and greatest finite value of each format) gives the exhaustive extremes', () => {
    const fmts = ['uint3', 'uint8', 'e4m3fn', 'e4m3fnuz', 'e5m2ieee', 'e3m2fn', 'e2m1'];
    for (let bits = 3; bits <= 8; bits++) fmts.push(...formatsOfWidth(bits));
    const reqs: MacRequest[] = fmts.map((fmt) => ({ fmt }));
    // mixed pairs, and accumulators narrower than the product (floor and RNE put products on a coarser grid)
    for (const [afmt, wfmt] of [['int8', 'e2m1'], ['uint8', 'int3'], ['e5m2ieee', 'int4'], ['e4m3fnuz', 'uint4'], ['e1m6', 'e6m1']])
      reqs.push({ afmt, wfmt }, { afmt: wfmt, wfmt: afmt });
    for (const fmt of ['int8', 'e4m3', 'e5m2ieee', 'e2m3']) reqs.push({ fmt, acc: 6, accRound: 'rne' }, { fmt, acc: 6 });
    for (const req of reqs) {
      const cfg = new MacConfig(req);
      expect(cfg.a.bits + cfg.w.bits, JSON.stringify(req)).toBeLessThanOrEqual(16);
      expect(extremes(cfg, 0), JSON.stringify(req)).toEqual(extremes(cfg));
    }
  });

  it('wide pairs (past the exhaustive scan) take the corners: e8m7 × int8 gives ±max × −128 both ways', () => {
    const cfg = new MacConfig({ afmt: 'e8m7', wfmt: 'int8' });
    const { pos, neg } = maxProductCodes(cfg);
    expect(pos![1]).toBe(0x80); // −128
    expect(neg![1]).toBe(0x80);
    expect(cfg.a.decode(pos![0])).toMatchObject({ kind: 'finite', units: -cfg.a.maxUnits });
    expect(cfg.a.decode(neg![0])).toMatchObject({ kind: 'finite', units: cfg.a.maxUnits });
    const [p, n] = extremes(cfg);
    expect(n).toBe(-p);
  });
});

/**
 * Segment 5b's endings, seen through the golden model: for each closer (idle clr, clearing beat,
 * rst) and each flag, how often that flag is set just before the closer acts and clear just after
 * (where a unit that fails to clear it differs on the outputs).
 */
function exposures(req: MacRequest): Map<string, number> {
  const cfg = new MacConfig(req);
  const { edges } = buildStimulus(cfg, { seed: 7, beats: 2000, pairs: 2000, exhaustiveBits: 10, sequences: 4 });
  const states = run(cfg, edges);
  const from = edges.findIndex((e) => e.inject);
  const p = cfg.pipeline;
  const out = new Map<string, number>();
  const flags = ['ovf', 'nan', 'pinf', 'ninf'] as const;
  for (let k = from; k < edges.length; k++) {
    const e = edges[k];
    const closer = e.rst ? 'rst' : e.clr ? (e.en ? 'clear-beat' : 'idle-clr') : null;
    if (!closer) continue;
    const at = e.rst ? k : k + p; // the edge where it acts
    if (at >= edges.length || edges.slice(k + 1, at + 1).some((x) => x.rst)) continue;
    const before = edges[at].inject && !edges[at].rst ? edges[at].inject! : states[at - 1];
    for (const f of flags) if (before[f] && !states[at][f]) out.set(`${closer} ${f}`, (out.get(`${closer} ${f}`) ?? 0) + 1);
  }
  return out;
}

describe('segment 5b ends injected states with an idle clr, a clearing beat and a rst', () => {
  const cases: MacRequest[] = [
    { fmt: 'e5m2' }, // 77-bit accumulator, no specials: nothing else in the stimulus sets ovf
    { fmt: 'e4m3fn', pipeline: 2 }, // with nan, and beats in flight
    { afmt: 'e5m2ieee', wfmt: 'int4', lanes: 2, pipeline: 4 }, // nan, pinf, ninf
  ];
  for (const req of cases) {
    it(`each closer meets every flag set, several times: ${JSON.stringify(req)}`, () => {
      const cfg = new MacConfig(req);
      const ex = exposures(req);
      const flags = cfg.hasFlags ? ['ovf', 'nan', 'pinf', 'ninf'] : ['ovf'];
      for (const c of CLOSERS) for (const f of flags) expect(ex.get(`${c} ${f}`) ?? 0, `${c} clearing ${f}`).toBeGreaterThanOrEqual(f === 'ovf' ? 3 : 2);
    });
  }

  it('the count of injected states is the list (16 with flags, 14 without) plus the flagged ones (5 or 3 per closer)', () => {
    const count = (req: MacRequest) => buildStimulus(new MacConfig(req), { seed: 1, beats: 100, pairs: 100, exhaustiveBits: 0 }).counts.injected;
    expect(count({ fmt: 'e4m3', acc: 16 })).toBe(14 + 3 * 3);
    expect(count({ fmt: 'e4m3fn' })).toBe(16 + 3 * 5);
    const cfg = new MacConfig({ fmt: 'e4m3fn', pipeline: 3 });
    const { edges, counts } = buildStimulus(cfg, { seed: 1, beats: 100, pairs: 100, exhaustiveBits: 0 });
    expect(edges.filter((e) => e.inject).length).toBe(counts.injected);
  });
});
