/**
 * Night after night through the real CLI (issue 13 item 2): a doctored earlier run shows its
 * cheaper pair as a regression, `--fail-on-regression PCT` fails on it after writing the report;
 * the default baseline is the newest earlier comparable run of --out; the merge compares too; the
 * history lists the runs in order; results.json and results.csv stay byte-identical; bad input is
 * refused before anything is written. One tiny sweep (e1m1 × e1m1, int3; 2 designs), synthesized
 * once: every later run is served from the shared cache.
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, HistoryPoint } from '../../synth/baseline.ts';
import type { SweepResults } from '../../synth/sweep.ts';
import { MINIMAC, ROOT, removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const root = tempDir('minimac-baseline-');
const cache = join(root, 'cache');
/** Night after night's folder: the first run, its doctored copy night-1 and runs against it. */
const A = join(root, 'a');
/** A folder of earlier runs for the default baseline: comparable ones, an incomparable one, shards. */
const B = join(root, 'b');
const SWEEP = ['--wfmt', 'e1m1', '--afmt', 'e1m1,int3', '--acc', '12', '--jobs', '1'];
// The compiled CLI (bin/minimac.js runs dist/, built by pretest, or the sources when they are newer):
// a second less per run than tsx, over some thirty runs here.
const cli = (cmd: 'sweep' | 'merge', args: string[]) => execa('node', [MINIMAC, cmd === 'merge' ? 'sweep-merge' : 'sweep', ...args], { reject: false, cwd: ROOT });
const sweep = (out: string, run: string, args: string[] = []) => cli('sweep', [...SWEEP, '--cache', cache, '--out', out, '--run', run, ...args]);
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const json = <T>(dir: string, file: string): T => JSON.parse(read(dir, file)) as T;

/** A row's counts, writable for doctoring. */
const counts = (r: SweepResults, i: number) => r.rows[i].counts as { lut: number };

/** Copy a report folder, edit its results.json and run.json. */
function doctor(from: string, to: string, edit: (r: SweepResults) => void, startedAt: string | null): void {
  cpSync(from, to, { recursive: true });
  const r = json<SweepResults>(to, 'results.json');
  edit(r);
  writeFileSync(join(to, 'results.json'), JSON.stringify(r, null, 1) + '\n');
  const meta = json<Record<string, unknown>>(to, 'run.json');
  writeFileSync(join(to, 'run.json'), JSON.stringify({ ...meta, startedAt }, null, 2) + '\n');
}

let first: SweepResults;
/** The pair night-1 makes 10% cheaper, and its LUTs then and now. */
let cheap: { lut: number; was: number };

beforeAll(async () => {
  mkdirSync(A);
  mkdirSync(B);
  const r = await sweep(A, 'first');
  expect(r.exitCode, r.stderr).toBe(0);
  first = json(join(A, 'first'), 'results.json');
  const lut = first.rows[1].counts!.lut;
  cheap = { lut, was: Math.round(lut * 0.9) };
  doctor(join(A, 'first'), join(A, 'night-1'), (x) => void (counts(x, 1).lut = cheap.was), '2000-01-01T00:00:00.000Z');
  // B: two comparable earlier runs (newer is the baseline), and what the search must pass over.
  doctor(join(A, 'first'), join(B, 'old'), () => {}, '2001-01-01T00:00:00.000Z');
  doctor(join(A, 'first'), join(B, 'newer'), (x) => void (counts(x, 0).lut += 1), '2002-01-01T00:00:00.000Z');
  doctor(join(A, 'first'), join(B, 'acc13'), (x) => void ((x.sweep.params as { acc: number }).acc = 13), '2003-01-01T00:00:00.000Z');
  doctor(join(A, 'first'), join(B, 'old-shard-1-of-1'), (x) => void Object.assign(x, { shard: { index: 1, count: 1 } }), '2004-01-01T00:00:00.000Z');
  doctor(join(A, 'first'), join(B, 'future'), () => {}, '2999-01-01T00:00:00.000Z');
  doctor(join(A, 'first'), join(B, 'unplaced'), () => {}, null);
  mkdirSync(join(B, 'junk'));
  writeFileSync(join(B, 'junk', 'results.json'), '{');
}, 600_000);

describe('sweep --baseline: a doctored earlier run', () => {
  const night1 = join(A, 'night-1');
  let c: Comparison;

  it('shows its cheaper pair as a regression in compare.json and index.md; exit 0 without --fail-on-regression', async () => {
    const r = await sweep(A, 'plain', ['--baseline', night1, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('regression');
    expect(JSON.parse(r.stdout).baseline).toEqual({ run: 'night-1', compared: 2, changed: 1, regressions: 1 });
    const dir = join(A, 'plain');
    expect(readdirSync(dir).sort()).toEqual(['compare.json', 'history.json', 'index.html', 'index.md', 'results.csv', 'results.json', 'run.json']);
    c = json(dir, 'compare.json');
    expect(c.baseline).toMatchObject({ run: 'night-1', startedAt: '2000-01-01T00:00:00.000Z', sweepId: first.sweep.id, yosysVersion: first.sweep.params.yosysVersion });
    expect(c.thresholdPct).toBe(2);
    expect(c.rows.map((x) => [x.weight, x.activation, x.regression])).toEqual([['e1m1', 'e1m1', false], ['e1m1', 'int3', true]]);
    const change = cheap.lut - cheap.was;
    expect(c.regressions).toEqual([c.rows[1]]);
    expect(c.rows[1].lut).toEqual({ before: cheap.was, after: cheap.lut, change, pct: (100 * change) / cheap.was });
    expect(c.rows[1].ff.change).toBe(0);
    expect([c.onlyNow, c.onlyBefore]).toEqual([[], []]);
    // the run name only, never a path of this machine
    expect(read(dir, 'compare.json')).not.toContain(root);
    const md = read(dir, 'index.md');
    const pct = ((100 * change) / cheap.was).toFixed(1);
    expect(md).toContain('## Change since night-1\n');
    expect(md).toContain('### Regressions (1)\n');
    expect(md).toContain(`| e1m1 | int3 | **${cheap.was} → ${cheap.lut} (+${pct}%)** | 13 |`);
    expect(md.indexOf('### Regressions')).toBeLessThan(md.indexOf('### Every changed pair (1)'));
    const meta = json<Record<string, unknown>>(dir, 'run.json');
    expect(meta).toMatchObject({ run: 'plain', baseline: 'night-1', generator: { version: JSON.parse(read(ROOT, 'package.json')).version } });
    expect((meta.generator as { commit: string | null }).commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('--fail-on-regression 5 exits 1 after writing the report and names the pair on stderr', async () => {
    const r = await sweep(A, 'fail5', ['--baseline', night1, '--fail-on-regression', '5']);
    const pct = ((100 * (cheap.lut - cheap.was)) / cheap.was).toFixed(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('regression'))).toEqual([`regression: e1m1 × int3: LUT ${cheap.was} → ${cheap.lut} (+${pct}%)`]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('; against night-1: 1 of 2 pairs changed, 1 regression (> 2%)');
    expect(json<Comparison>(join(A, 'fail5'), 'compare.json').regressions).toHaveLength(1);
  });

  it('--fail-on-regression 20 exits 0; --regression-threshold 15 clears the regression; results.json given directly', async () => {
    const r = await sweep(A, 'pass20', ['--baseline', join(night1, 'results.json'), '--fail-on-regression', '20', '--regression-threshold', '15']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('regression');
    const k = json<Comparison>(join(A, 'pass20'), 'compare.json');
    expect([k.baseline.run, k.thresholdPct, k.regressions]).toEqual(['night-1', 15, []]);
    expect(k.rows[1].lut).toEqual(c.rows[1].lut);
  });

  it('--baseline none: no compare.json; results.json and results.csv byte-identical whatever the baseline', async () => {
    const r = await sweep(A, 'none', ['--baseline', 'none']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(A, 'none', 'compare.json'))).toBe(false);
    expect(json<Record<string, unknown>>(join(A, 'none'), 'run.json').baseline).toBeNull();
    for (const run of ['none', 'plain', 'fail5', 'pass20']) {
      for (const f of ['results.json', 'results.csv']) expect(read(join(A, run), f)).toBe(read(join(A, 'first'), f));
    }
  });
});

describe('the default baseline, shards and the merge', () => {
  it('the newest earlier comparable run, past an incomparable one, shards, later and unplaceable runs; the history in order', async () => {
    // Real shards of this sweep, started after `newer`: the search must pass over them.
    for (const i of [1, 2]) {
      const s = await sweep(B, `tonight-shard-${i}-of-2`, ['--shard', `${i}/2`]);
      expect(s.exitCode, s.stderr).toBe(0);
      // a shard neither searches for a baseline nor keeps a history: its merge does
      expect(readdirSync(join(B, `tonight-shard-${i}-of-2`))).not.toContain('compare.json');
      expect(readdirSync(join(B, `tonight-shard-${i}-of-2`))).not.toContain('history.json');
    }
    const r = await sweep(B, 'tonight');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('; against newer: 1 of 2 pairs changed, 0 regressions (> 2%)');
    const c = json<Comparison>(join(B, 'tonight'), 'compare.json');
    expect(c.baseline.run).toBe('newer');
    expect(c.rows[0].lut.change).toBe(-1);
    expect(read(join(B, 'tonight'), 'index.md')).toContain('## Change since newer\n');
    const h = json<HistoryPoint[]>(join(B, 'tonight'), 'history.json');
    expect(h.map((p) => [p.run, p.format])).toEqual([['old', 'e1m1'], ['newer', 'e1m1'], ['tonight', 'e1m1']]);
    expect(h.map((p) => p.lut)).toEqual([first.rows[0].counts!.lut, first.rows[0].counts!.lut + 1, first.rows[0].counts!.lut]);
    expect(h[2]).toMatchObject({ startedAt: json<{ startedAt: string }>(join(B, 'tonight'), 'run.json').startedAt, yosysVersion: first.sweep.params.yosysVersion });
    expect(h[2].generator?.version).toBe(JSON.parse(read(ROOT, 'package.json')).version);
  });

  it('sweep-merge takes the same flags: default baseline in --out, --fail-on-regression against night-1', async () => {
    const shards = [1, 2].map((i) => join(B, `tonight-shard-${i}-of-2`));
    const m = await cli('merge', ['--out', B, '--run', 'merged', ...shards]);
    expect(m.exitCode, m.stderr).toBe(0);
    expect(m.stderr).toBe('');
    expect(m.stdout).toContain('; against tonight: 0 of 2 pairs changed, 0 regressions (> 2%)');
    const dir = join(B, 'merged');
    for (const f of ['results.json', 'results.csv']) expect(read(dir, f)).toBe(read(join(A, 'first'), f));
    expect(json<HistoryPoint[]>(dir, 'history.json').map((p) => p.run)).toEqual(['old', 'newer', 'tonight', 'merged']);
    const meta = json<Record<string, unknown>>(dir, 'run.json');
    expect(meta).toMatchObject({ run: 'merged', mergedFrom: 2, baseline: 'tonight', generator: { version: JSON.parse(read(ROOT, 'package.json')).version } });
    expect(Number.isFinite(Date.parse(meta.startedAt as string))).toBe(true);
    const f = await cli('merge', ['--out', B, '--run', 'merged5', '--baseline', join(A, 'night-1'), '--fail-on-regression', '5', ...shards]);
    expect(f.stderr).toMatch(/^regression: e1m1 × int3: LUT \d+ → \d+ \(\+\d+\.\d%\)$/);
    expect(f.exitCode).toBe(1);
    expect(json<Comparison>(join(B, 'merged5'), 'compare.json').regressions.map((x) => x.activation)).toEqual(['int3']);
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  const pctRule = (v: string, flag: string) => `error: regression threshold must be a number of percent ≥ 0, not ${v} (${flag})`;
  const sweepCases: [string, string[], string][] = [
    ['empty threshold', ['--regression-threshold', ''], pctRule("''", '--regression-threshold')],
    ['non-number', ['--fail-on-regression', 'abc'], pctRule("'abc'", '--fail-on-regression')],
    ['negative', ['--fail-on-regression', '-1'], pctRule("'-1'", '--fail-on-regression')],
    ['1e999', ['--regression-threshold', '1e999'], pctRule("'1e999'", '--regression-threshold')],
    ['NaN', ['--fail-on-regression', 'NaN'], pctRule("'NaN'", '--fail-on-regression')],
    ['a newline', ['--fail-on-regression', '5\n'], pctRule("'5\\n'", '--fail-on-regression')],
    ['empty baseline', ['--baseline', ''], "error: baseline must be a report folder, its results.json or none, not '' (--baseline)"],
    ['a baseline with a newline', ['--baseline', 'a\nb'], "error: cannot read a sweep result from 'a\\nb' (ENOENT) (--baseline)"],
    ['a folder without results.json', ['--baseline', '$R/empty'], "error: cannot read a sweep result from '$R/empty' (ENOENT) (--baseline)"],
    ['another schema', ['--baseline', '$R/schema2'], "error: '$R/schema2' is not a sweep result of schema 1 (--baseline)"],
    ['rows that cannot be compared', ['--baseline', '$R/badrows/results.json'], "error: '$R/badrows/results.json' is not a sweep result of schema 1 (--baseline)"],
    [
      'an incomparable sweep',
      ['--baseline', '$B/acc13'],
      "error: '$B/acc13' is a sweep of other parameters (acc 13 there, acc 12 here); a baseline must have the same target, DSP use, --acc, --len and --result (--baseline)",
    ],
    ['a shard', ['--baseline', '$B/old-shard-1-of-1'], "error: '$B/old-shard-1-of-1' is shard 1/1 of a sweep; compare with the merged report (--baseline)"],
    ['a threshold after --baseline none', ['--baseline', 'none', '--fail-on-regression', '5'], 'error: --fail-on-regression needs a baseline, and --baseline none turns it off (--fail-on-regression)'],
    [
      'a threshold on a shard with no --baseline',
      ['--shard', '1/2', '--regression-threshold', '3'],
      'error: a shard takes no default baseline: give --baseline, or check the merged report with sweep-merge (--regression-threshold)',
    ],
  ];
  const sub = (s: string) => s.replaceAll('$R', join(root, 'bad')).replaceAll('$B', B);

  beforeAll(() => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'empty'), { recursive: true });
    mkdirSync(join(bad, 'schema2'));
    writeFileSync(join(bad, 'schema2', 'results.json'), JSON.stringify({ ...first, schema: 2 }));
    mkdirSync(join(bad, 'badrows'));
    writeFileSync(join(bad, 'badrows', 'results.json'), JSON.stringify({ ...first, rows: [{ ok: true, weight: { spec: 'e1m1' }, activation: { spec: 'e1m1' }, counts: { lut: 'x' } }] }));
  });

  for (const [what, args, line] of sweepCases) {
    it(`sweep: ${what}`, async () => {
      const out = tempDir('minimac-baseline-bad-');
      const r = await cli('sweep', [...SWEEP, '--out', join(out, 'NEW'), ...args.map(sub)]);
      expect(r.stderr).toBe(sub(line));
      expect([r.exitCode, r.stdout]).toEqual([2, '']);
      expect(readdirSync(out)).toEqual([]);
    });
  }

  const mergeCases: [string, string[], string][] = [
    ['non-number', ['--fail-on-regression', 'x'], pctRule("'x'", '--fail-on-regression')],
    ['a threshold after --baseline none', ['--baseline', 'none', '--regression-threshold', '1'], 'error: --regression-threshold needs a baseline, and --baseline none turns it off (--regression-threshold)'],
    [
      'an incomparable sweep',
      ['--baseline', '$B/acc13'],
      "error: '$B/acc13' is a sweep of other parameters (acc 13 there, acc 12 here); a baseline must have the same target, DSP use, --acc, --len and --result (--baseline)",
    ],
  ];
  for (const [what, args, line] of mergeCases) {
    it(`sweep-merge: ${what}`, async () => {
      const out = tempDir('minimac-baseline-bad-');
      const r = await cli('merge', ['--out', join(out, 'NEW'), '--run', 'm', ...args.map(sub), join(B, 'old-shard-1-of-1')]);
      expect(r.stderr).toBe(sub(line));
      expect([r.exitCode, r.stdout]).toEqual([2, '']);
      expect(readdirSync(out)).toEqual([]);
    });
  }
});
