/**
 * `minimac sweep --target xc7,ecp5`: one report folder per target, each with the comparison across
 * the targets (chart, HTML table, index.md section), results the same bytes as a one-target run
 * of the same target; bad target lists are bad input and write nothing.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINIMAC, ROOT, removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const out = tempDir('minimac-sweep-targets-');
const cache = tempDir('minimac-sweep-targets-cache-');
const sweep = (args: string[]) =>
  execa('node', [MINIMAC, 'sweep', '--wfmt', 'e1m1,int3', '--afmt', 'e1m1,int3', '--acc', '12', '--jobs', '2', '--out', out, '--cache', cache, ...args], { reject: false, cwd: ROOT });
const text = (run: string, f: string) => readFileSync(join(out, run, f), 'utf8');

describe('minimac sweep --target xc7,ecp5', () => {
  it('writes a report per target, each comparing both; results as a one-target run gives', async () => {
    const r = await sweep(['--target', 'xc7,ecp5', '--run', 'm', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { targets: { target: string; run: string; configurations: number; failed: number }[] };
    expect(s.targets.map((x) => [x.target, x.run, x.configurations, x.failed])).toEqual([
      ['xc7', 'm-xc7', 4, 0],
      ['ecp5', 'm-ecp5', 4, 0],
    ]);
    expect(readdirSync(out).sort()).toEqual(['m-ecp5', 'm-xc7']);
    for (const run of ['m-xc7', 'm-ecp5']) {
      const html = text(run, 'index.html');
      expect(html).toContain('id="chart-targets"');
      expect(html).toMatch(/Symbol legend titled 'target' for fill color with 2 values: xc7, ecp5/);
      expect(html).toContain('<table class="sortable" id="targets-table">');
      expect(text(run, 'index.md')).toMatch(/^## Same-format pairs on xc7, ecp5\n[\s\S]*^\| format \| LUTs xc7 \| FF xc7 \| depth xc7 \| LUTs ecp5 \| FF ecp5 \| depth ecp5 \|$/m);
      expect(JSON.parse(text(run, 'run.json')).targets).toEqual(['xc7', 'ecp5']);
    }
    // the ecp5 column of the table is ecp5's own count (LUT4s), not xc7's
    const ecp5 = JSON.parse(text('m-ecp5', 'results.json')).rows[0].counts.lut;
    const xc7 = JSON.parse(text('m-xc7', 'results.json')).rows[0].counts.lut;
    expect(text('m-xc7', 'index.md')).toContain(`| e1m1 | ${xc7} | 13 |`);
    expect(text('m-xc7', 'index.md')).toMatch(new RegExp(`^\\| e1m1 \\| ${xc7} \\| 13 \\| \\d+ \\| ${ecp5} \\| 13 \\| \\d+ \\|$`, 'm'));
    const one = await sweep(['--target', 'ecp5', '--run', 'one']);
    expect(one.exitCode).toBe(0);
    expect(one.stderr).toContain('sweep: 4 cached, 0 to synthesize');
    for (const f of ['results.json', 'results.csv']) expect(text('one', f)).toBe(text('m-ecp5', f));
    expect(text('one', 'index.html')).not.toContain('id="chart-targets"');
  }, 600_000);

  const bad: [string, string[], string][] = [
    ['a target twice', ['--target', 'xc7,xc7'], "error: target 'xc7' is listed twice (--target)"],
    ['an empty entry', ['--target', 'xc7,'], "error: target list must name families separated by commas, not 'xc7,' (--target)"],
    ['a stray newline', ['--target', 'ecp5,xc7\n'], "error: unknown target 'xc7\\n': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['an unknown one among them', ['--target', 'xc7,constructor'], "error: unknown target 'constructor': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    [
      'one baseline folder for several targets',
      ['--target', 'xc7,ecp5', '--baseline', '/tmp'],
      "error: a baseline folder is one target's run; with several targets leave --baseline out (each target finds its own) or give none (--baseline)",
    ],
  ];
  for (const [what, args, line] of bad) {
    it(`bad input: ${what}`, async () => {
      const fresh = tempDir('minimac-sweep-targets-bad-');
      const r = await execa('node', [MINIMAC, 'sweep', '--wfmt', 'e1m1', '--afmt', 'e1m1', '--out', join(fresh, 'o'), ...args], { reject: false, cwd: ROOT });
      expect([r.exitCode, r.stderr.trim()]).toEqual([2, line]);
      expect(existsSync(join(fresh, 'o'))).toBe(false);
    });
  }
});
