/** pairAccuracy: the accuracy axis of the cost tables, for every pair of 3–8-bit formats. */
import { describe, expect, it } from 'vitest';
import { formatsOfWidth } from '../../generators/formats/format.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { ACCURACY_DEFAULTS, describeSetup, pairAccuracy } from '../../quant/accuracy.ts';

describe('pairAccuracy', () => {
  it('declares Gaussian weights and Student-t(3) activations, seeded', () => {
    expect(ACCURACY_DEFAULTS.weight.dist).toBe('gauss');
    expect(ACCURACY_DEFAULTS.activation.dist).toBe('student3');
    expect(describeSetup()).toContain('seed 1');
  });

  it('shows the heavy-tail effect: e4m3 activations beat int8 ones by > 10 dB, int8 weights beat e4m3 ones', () => {
    const ii = pairAccuracy('int8', 'int8');
    const ie = pairAccuracy('int8', 'e4m3');
    const ei = pairAccuracy('e4m3', 'int8');
    expect(ie.activationSqnrDb - ii.activationSqnrDb).toBeGreaterThan(10);
    expect(ii.weightSqnrDb).toBeGreaterThan(ei.weightSqnrDb);
    expect(ie.outputSqnrDb).toBeGreaterThan(ii.outputSqnrDb + 10);
    // The output is no better than its worse operand allows (plus a small margin for averaging).
    for (const p of [ii, ie, ei]) expect(p.outputSqnrDb).toBeLessThan(Math.min(p.weightSqnrDb, p.activationSqnrDb) + 3);
  });

  it('is deterministic and fast for all 33 × 33 pairs of 3–8-bit formats', () => {
    const fmts: string[] = [];
    for (let b = 3; b <= 8; b++) fmts.push(...formatsOfWidth(b));
    expect(fmts).toHaveLength(33);
    const t0 = performance.now();
    const all = fmts.flatMap((w) => fmts.map((a) => pairAccuracy(w, a)));
    const ms = performance.now() - t0;
    expect(all.every((p) => Number.isFinite(p.outputSqnrDb))).toBe(true);
    expect(pairAccuracy('e2m1', 'e4m3')).toEqual(all[fmts.indexOf('e2m1') * 33 + fmts.indexOf('e4m3')]);
    expect(ms).toBeLessThan(20_000); // a few seconds on one core; generous for loaded CI machines
  });

  it('names the flag of a bad format', () => {
    expect(() => pairAccuracy('e9m1', 'int8')).toThrow(UsageError);
    try {
      pairAccuracy('int8', 'bogus');
    } catch (e) {
      expect((e as UsageError).flag).toBe('--afmt');
    }
  });
});
