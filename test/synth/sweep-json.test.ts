/**
 * `minimac sweep --json` on the smallest sweep of the sweep tests (e1m1 × e1m1, int3): a summary
 * on stdout that parses and agrees with results.json, progress on stderr.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SweepResults } from '../../synth/sweep.ts';
import { MINIMAC, ROOT, removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

describe('minimac sweep --json', () => {
  it('--wfmt e1m1 --afmt e1m1,int3: the summary, then the same on a warm re-run', async () => {
    const out = tempDir('minimac-sweep-json-');
    const args = ['sweep', '--wfmt', 'e1m1', '--afmt', 'e1m1,int3', '--acc', '12', '--jobs', '2', '--out', out, '--run', 'j', '--json'];
    const r = await execa('node', [MINIMAC, ...args], { reject: false, cwd: ROOT });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('sweep: 0 cached, 2 to synthesize');
    const s = JSON.parse(r.stdout);
    const results = JSON.parse(readFileSync(join(out, 'j', 'results.json'), 'utf8')) as SweepResults;
    expect(s).toMatchObject({ sweep: results.sweep.id, run: 'j', dir: join(out, 'j'), target: 'xc7', shard: null, configurations: 2, failed: 0, cached: 0 });
    expect(s.rows).toEqual(
      results.rows.map((x) => ({ weight: x.weight.spec, activation: x.activation.spec, ok: true, lut: x.counts?.lut, ff: x.counts?.ff, depth: x.counts?.depth })),
    );
    expect(s.rows.map((x: { activation: string }) => x.activation)).toEqual(['e1m1', 'int3']);
    expect(s.rows.every((x: { lut: number }) => x.lut > 0)).toBe(true);
    const warm = await execa('node', [MINIMAC, ...args], { reject: false, cwd: ROOT });
    expect(warm.exitCode).toBe(0);
    expect(JSON.parse(warm.stdout)).toMatchObject({ configurations: 2, failed: 0, cached: 2, rows: s.rows });
  });
});

describe('minimac sweep --result (issue 11)', () => {
  it('every unit of the sweep carries the float result, which costs LUTs and is named in the report', async () => {
    const out = tempDir('minimac-sweep-result-');
    const base = ['sweep', '--wfmt', 'e1m1', '--afmt', 'e1m1', '--acc', '12', '--jobs', '1', '--out', out, '--json'];
    const plain = await execa('node', [MINIMAC, ...base, '--run', 'plain'], { reject: false, cwd: ROOT });
    const withRes = await execa('node', [MINIMAC, ...base, '--run', 'res', '--result', 'bf16', '--result-overflow', 'inf'], { reject: false, cwd: ROOT });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(withRes.exitCode, withRes.stderr).toBe(0);
    const read = (run: string) => JSON.parse(readFileSync(join(out, run, 'results.json'), 'utf8')) as SweepResults;
    const [p, q] = [read('plain'), read('res')];
    expect(p.sweep.params.result).toBeUndefined();
    expect(q.sweep.params.result).toEqual({ spec: 'e8m7ieee', overflow: 'inf', pipeline: 0 });
    expect(q.rows[0].name).toBe('minimac_e1m1_x_e1m1_acc12_frac_0_floor_wrap_p0_l1_re8m7ieee_inf_q0');
    expect(q.rows[0].counts!.lut).toBeGreaterThan(p.rows[0].counts!.lut);
    // the result register: 16 more flip-flops than the plain unit
    expect(q.rows[0].counts!.ff).toBe(p.rows[0].counts!.ff + 16);
    // the plain unit comes from the cache the plain run filled, and is the row's cost without the result
    expect(q.rows[0].withoutResult).toEqual({ lut: p.rows[0].counts!.lut, ff: p.rows[0].counts!.ff, depth: p.rows[0].counts!.depth });
    expect(JSON.parse(withRes.stdout)).toMatchObject({ cached: 1 });
    const md = readFileSync(join(out, 'res', 'index.md'), 'utf8');
    expect(md).toContain("float result e8m7ieee (inf, q 0) in every unit's cost");
    expect(md).toContain('## What the float result e8m7ieee costs');
    expect(md).toMatch(new RegExp(`\\| e1m1 \\| e1m1 \\| ${p.rows[0].counts!.lut} \\| ${q.rows[0].counts!.lut} \\| `));
    const bad = await execa('node', [MINIMAC, 'sweep', '--bits', '3', '--result-pipeline', '1', '--out', out], { reject: false, cwd: ROOT });
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'error: --result-pipeline needs --result (--result-pipeline)']);
  });
});
