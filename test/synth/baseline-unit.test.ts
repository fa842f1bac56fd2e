/**
 * The pure parts of night after night (synth/baseline.ts): percent flags, deltas and the
 * regression rule at its boundary, matching pairs, the stderr lines, comparability, and the scan
 * of an --out folder for the default baseline and the history (fake results, no Yosys).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareRuns,
  delta,
  earlierRuns,
  grewBeyond,
  incomparable,
  nightFlags,
  parsePercent,
  regressionCheck,
  regressionLines,
  type RunOnDisk,
} from '../../synth/baseline.ts';
import type { SweepParams, SweepResults, SweepRow } from '../../synth/sweep.ts';
import { removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const PARAMS: SweepParams = { weights: ['e1m1'], activations: ['e1m1', 'int3'], target: 'xc7', dsp: false, engine: 'wasm', yosysVersion: 'yowasp-yosys 0.55', acc: 12, len: null };

/** A row of a fake sweep: `[weight, activation, lut, ff, depth]`, or a failed one with lut null. */
function row(index: number, w: string, a: string, lut: number | null, ff = 13, depth = 10): SweepRow {
  const side = (spec: string) => ({ spec, kind: spec.startsWith('int') ? 'int' : 'float', bits: 3 }) as SweepRow['weight'];
  const counts = lut === null ? null : ({ lut, lutBySize: {}, ff, carry: 0, mux: {}, dsp: 0, srl: 0, gates: 0, depth, cells: {} } as unknown as SweepRow['counts']);
  return {
    index, weight: side(w), activation: side(a), name: `u_${w}_${a}`, target: 'xc7', productWidth: 4, accWidth: 12, accFrac: 0,
    key: 'k', ok: lut !== null, counts, error: lut === null ? 'boom' : null, logTail: null,
  };
}

function results(rows: SweepRow[], params: Partial<SweepParams> = {}, extra: Partial<SweepResults> = {}): SweepResults {
  return { schema: 1, sweep: { id: 'id0', params: { ...PARAMS, ...params }, script: '' }, rows, ...extra };
}

const run = (r: SweepResults, name = 'night-1'): RunOnDisk => ({ run: name, startedAt: '2026-01-01T00:00:00.000Z', generator: { version: '0.1.0', commit: null }, results: r });

describe('percent flags', () => {
  it('accept plain decimals ≥ 0', () => {
    expect(['0', '2', '2.5', '.5', '+7', '-0', '100000'].map((t) => parsePercent(t, '--x'))).toEqual([0, 2, 2.5, 0.5, 7, 0, 100000]);
    expect(Object.is(parsePercent('-0', '--x'), 0)).toBe(true);
  });
  for (const bad of ['', ' ', 'abc', '-1', '-0.5', '1e999', '1e3', 'NaN', 'Infinity', '5\n', '5%', '0x10', '1'.padEnd(400, '0')]) {
    it(`refuse ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 5)}…` : bad)}`, () => {
      expect(() => parsePercent(bad, '--fail-on-regression')).toThrow(/^regression threshold must be a number of percent ≥ 0, not '.*'$/s);
    });
  }
  it('echo the value on one line', () => {
    expect(() => parsePercent('5\n', '--x')).toThrow("regression threshold must be a number of percent ≥ 0, not '5\\n'");
  });
});

describe('deltas and the regression rule', () => {
  it('change and percent; percent null from 0', () => {
    expect(delta(40, 44)).toEqual({ before: 40, after: 44, change: 4, pct: 10 });
    expect(delta(0, 3)).toEqual({ before: 0, after: 3, change: 3, pct: null });
    expect(delta(0, 0)).toEqual({ before: 0, after: 0, change: 0, pct: null });
  });
  it('more than the threshold, not at it; growth from 0 always; shrinking never', () => {
    expect(grewBeyond(delta(40, 44), 10)).toBe(false); // exactly 10%
    expect(grewBeyond(delta(40, 44), 9.99)).toBe(true);
    expect(grewBeyond(delta(0, 1), 1e9)).toBe(true);
    expect(grewBeyond(delta(44, 40), 0)).toBe(false);
    expect(grewBeyond(delta(40, 40), 0)).toBe(false);
    expect(grewBeyond(delta(40, 41), 0)).toBe(true);
  });
});

describe('compareRuns', () => {
  const before = results([row(0, 'e1m1', 'e1m1', 30), row(1, 'e1m1', 'int3', 40, 13, 10), row(2, 'e1m1', 'e2m1', 50), row(3, 'e1m1', 'int4', 20)], { yosysVersion: 'yowasp-yosys 0.40' });
  const now = results([row(0, 'e2m0', 'e1m1', 9), row(1, 'e1m1', 'int3', 44, 14, 10), row(2, 'e1m1', 'e1m1', 29), row(3, 'e1m1', 'int4', null)]);
  const c = compareRuns(now, run(before), 2);
  it('pairs matched by specs, in this sweep’s order; one-sided pairs listed; failed ones neither', () => {
    expect(c.rows.map((x) => `${x.weight} × ${x.activation}`)).toEqual(['e1m1 × int3', 'e1m1 × e1m1']);
    expect(c.onlyNow).toEqual(['e2m0 × e1m1']);
    expect(c.onlyBefore).toEqual(['e1m1 × e2m1']);
  });
  it('deltas of LUT, FF and depth; a regression past the threshold in any of them', () => {
    const [a, b] = c.rows;
    expect(a).toMatchObject({ name: 'u_e1m1_int3', lut: delta(40, 44), ff: delta(13, 14), depth: delta(10, 10), regression: true });
    expect(b).toMatchObject({ lut: delta(30, 29), regression: false });
    expect(c.regressions).toEqual([a]);
    expect(c.baseline).toEqual({ run: 'night-1', startedAt: '2026-01-01T00:00:00.000Z', sweepId: 'id0', yosysVersion: 'yowasp-yosys 0.40', generator: { version: '0.1.0', commit: null } });
    expect(compareRuns(now, run(before), 10).regressions).toEqual([]);
  });
  it('stderr lines name only the figures past PCT', () => {
    expect(regressionLines(c, 5, 'LUTs')).toEqual(['regression: e1m1 × int3: LUT 40 → 44 (+10.0%), FF 13 → 14 (+7.7%)']);
    expect(regressionLines(c, 8, 'LUTs')).toEqual(['regression: e1m1 × int3: LUT 40 → 44 (+10.0%)']);
    expect(regressionLines(c, 8, 'gates')).toEqual(['regression: e1m1 × int3: gates 40 → 44 (+10.0%)']);
    expect(regressionLines(c, 10, 'LUTs')).toEqual([]);
  });
  it('--fail-on-regression fails only on a pair past PCT; with no baseline it warns and passes', () => {
    const n = (failPct: number | null) => ({ flags: { baseline: undefined, thresholdPct: 2, failPct }, baseline: null, earlier: { newest: null, count: 0, history: [] } });
    expect(regressionCheck(n(5), c, '/o', 'LUTs')).toEqual({ lines: regressionLines(c, 5, 'LUTs'), failed: true });
    expect(regressionCheck(n(10), c, '/o', 'LUTs')).toEqual({ lines: [], failed: false });
    expect(regressionCheck(n(null), c, '/o', 'LUTs')).toEqual({ lines: [], failed: false });
    expect(regressionCheck(n(5), undefined, '/o', 'LUTs')).toEqual({ lines: ["warning: no earlier comparable run in '/o' to check for regressions (--fail-on-regression)"], failed: false });
  });
  it('costs gates on the gates target', () => {
    const g = (lut: number, gates: number) => ({ ...row(0, 'e1m1', 'e1m1', lut), target: 'gates' as const, counts: { ...row(0, 'e1m1', 'e1m1', lut).counts!, gates } });
    const cg = compareRuns(results([g(0, 120)], { target: 'gates' }), run(results([g(0, 100)], { target: 'gates' })), 2);
    expect(cg.rows[0].lut).toEqual(delta(100, 120));
  });
});

describe('comparability', () => {
  it('Yosys, engine and format lists may differ', () => {
    expect(incomparable({ ...PARAMS, yosysVersion: 'Yosys 0.23', engine: 'native', weights: ['int8'], activations: [] }, PARAMS)).toEqual([]);
  });
  it('target, DSP, --acc, --len and --result must agree', () => {
    expect(incomparable({ ...PARAMS, acc: 13, dsp: true }, PARAMS)).toEqual(['DSPs allowed there, LUT-only here', 'acc 13 there, acc 12 here']);
    expect(incomparable({ ...PARAMS, target: 'ecp5', acc: null, len: 64 }, PARAMS)).toEqual(['target ecp5 there, target xc7 here', 'acc default there, acc 12 here', 'len 64 there, len default here']);
    expect(incomparable(PARAMS, { ...PARAMS, result: { spec: 'e8m7ieee', overflow: 'sat', pipeline: 0 } })).toEqual(['result none there, result e8m7ieee (sat, q 0) here']);
  });
});

describe('nightFlags', () => {
  it('defaults: search, 2%, no failing', () => {
    expect(nightFlags({}, false)).toEqual({ baseline: undefined, thresholdPct: 2, failPct: null });
    expect(nightFlags({ baseline: 'none' }, false)).toEqual({ baseline: null, thresholdPct: 2, failPct: null });
    expect(nightFlags({ baseline: 'x', 'fail-on-regression': '5', 'regression-threshold': '1.5' }, true)).toEqual({ baseline: 'x', thresholdPct: 1.5, failPct: 5 });
  });
  it('a threshold with nothing to apply it to is bad input', () => {
    expect(() => nightFlags({ baseline: 'none', 'fail-on-regression': '5' }, false)).toThrow('--fail-on-regression needs a baseline, and --baseline none turns it off');
    expect(() => nightFlags({ 'regression-threshold': '5' }, true)).toThrow('a shard takes no default baseline: give --baseline, or check the merged report with sweep-merge');
  });
});

describe('earlierRuns: the default baseline and the history', () => {
  const out = tempDir('minimac-baseline-unit-');
  const put = (name: string, r: unknown, startedAt?: string, generator: unknown = { version: '0.0.9', commit: 'abc' }) => {
    mkdirSync(join(out, name));
    writeFileSync(join(out, name, 'results.json'), typeof r === 'string' ? r : JSON.stringify(r));
    if (startedAt !== undefined) writeFileSync(join(out, name, 'run.json'), JSON.stringify({ run: 'copied', startedAt, generator }));
  };
  const diag = (lut: number) => results([row(0, 'e1m1', 'e1m1', lut), row(1, 'e1m1', 'int3', 99)]);
  put('b-old', diag(30), '2026-01-01T00:00:00Z');
  put('a-newer', diag(31), '2026-01-03T00:00:00Z', null);
  put('c-mid', { ...diag(32), sweep: { ...diag(32).sweep, params: { ...PARAMS, yosysVersion: 'Yosys 0.23', engine: 'native' } } }, '2026-01-02T00:00:00Z');
  put('acc13', results(diag(1).rows, { acc: 13 }), '2026-01-04T00:00:00Z');
  put('n-shard-1-of-2', { ...diag(2), shard: { index: 1, count: 2 } }, '2026-01-05T00:00:00Z');
  put('future', diag(3), '2999-01-01T00:00:00Z');
  put('tonight', diag(4), '2026-01-04T00:00:00Z');
  put('no-start', diag(5));
  put('bad-start', diag(6), 'yesterday');
  put('junk', 'not json', '2026-01-01T00:00:00Z');
  put('other-schema', { ...diag(7), schema: 2 }, '2026-01-01T00:00:00Z');
  put('bad-rows', { ...diag(8), rows: [{ ok: true }] }, '2026-01-01T00:00:00Z');
  put('.cache', diag(9), '2026-01-01T00:00:00Z');
  writeFileSync(join(out, 'a-file'), 'x');
  const e = earlierRuns(out, 'tonight', PARAMS, '2026-01-10T00:00:00Z');

  it('the newest earlier comparable run is the baseline: not a shard, hidden, incomparable, later, unplaceable, this run, or broken', () => {
    expect(e.newest?.run).toBe('a-newer');
    expect(e.newest?.generator).toBeNull();
    expect(e.newest?.results.rows[0].counts?.lut).toBe(31);
    expect(e.count).toBe(3);
  });
  it('the history: the same-format pairs of each, oldest first, with Yosys and generator', () => {
    expect(e.history.map((p) => [p.run, p.format, p.lut, p.yosysVersion])).toEqual([
      ['b-old', 'e1m1', 30, 'yowasp-yosys 0.55'],
      ['c-mid', 'e1m1', 32, 'Yosys 0.23'],
      ['a-newer', 'e1m1', 31, 'yowasp-yosys 0.55'],
    ]);
    expect(e.history[0]).toEqual({ run: 'b-old', startedAt: '2026-01-01T00:00:00Z', format: 'e1m1', lut: 30, ff: 13, depth: 10, yosysVersion: 'yowasp-yosys 0.55', generator: { version: '0.0.9', commit: 'abc' } });
  });
  it('only runs older than this one; a missing --out is no runs', () => {
    expect(earlierRuns(out, 'tonight', PARAMS, '2026-01-02T00:00:00Z').history.map((p) => p.run)).toEqual(['b-old']);
    expect(earlierRuns(join(out, 'nope'), 'x', PARAMS, '2026-01-10T00:00:00Z')).toEqual({ newest: null, count: 0, history: [] });
  });
});
