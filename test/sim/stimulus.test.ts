/** The stimulus itself (sim/stimulus.ts), in TypeScript only: what it reaches, not what a simulator makes of it. */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { formatsOfWidth } from '../../generators/formats/format.ts';
import { laneProduct } from '../../generators/golden/mac-model.ts';
import { maxProductCodes } from '../../sim/stimulus.ts';

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
