/**
 * The sweep through the real CLI and real Yosys: a --bits 3-4 sweep (7 weight formats, narrowed to
 * 4 activation formats to keep CI short: 28 designs) writes every report file;
 * a warm re-run is all cache; shards merge to the unsharded result; a corrupt cache entry is
 * redone; a sweep killed midway resumes with nothing lost; index.html renders in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, MINIMAC, ROOT, TSX, requireTool, tempDir, removeTempDirs } from '../support/tools.ts';
import { ResultCache } from '../../synth/cache.ts';
import type { SweepResults } from '../../synth/sweep.ts';
import { chartProblems } from '../support/charts.ts';

afterAll(removeTempDirs);

const root = tempDir('minimac-sweep-');
const cache = join(root, 'cache');
// The compiled CLI (bin/minimac.js runs dist/, built by pretest, or the sources when they are newer):
// a second less per run than tsx, over some thirty runs here.
const cli = (cmd: 'sweep' | 'merge', args: string[]) => execa('node', [MINIMAC, cmd === 'merge' ? 'sweep-merge' : 'sweep', ...args], { reject: false, cwd: ROOT });
const sweep = (run: string, args: string[], cacheDir = cache) => cli('sweep', ['--acc', '12', '--out', root, '--run', run, '--cache', cacheDir, ...args]);
const results = (run: string): SweepResults => JSON.parse(readFileSync(join(root, run, 'results.json'), 'utf8'));
const text = (run: string, file: string) => readFileSync(join(root, run, file), 'utf8');
const cacheFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)).filter((f) => f.endsWith('.json')).map((f) => join(dir, d, f))) : [];

const SWEEP = ['--bits', '3-4', '--afmt', 'e1m1,int3,e2m1,int4'];
let full: SweepResults;

beforeAll(async () => {
  const r = await sweep('full', SWEEP);
  expect(r.stderr).toContain('sweep: 0 cached, 28 to synthesize');
  expect(r.exitCode).toBe(0);
  full = results('full');
}, 900_000);

describe('npm run sweep -- --bits 3-4', () => {
  it('writes every report file, one row per pair, plain progress lines off a TTY', () => {
    expect(readdirSync(join(root, 'full')).sort()).toEqual(['index.html', 'index.md', 'results.csv', 'results.json', 'run.json']);
    expect(full.rows).toHaveLength(28);
    expect(full.rows.every((x) => x.ok && x.counts !== null && x.counts.lut > 0)).toBe(true);
    expect(full.rows.map((x) => x.index)).toEqual([...Array(28).keys()]);
    expect(full.sweep.params.weights).toEqual(['e1m1', 'e2m0', 'int3', 'e1m2', 'e2m1', 'e3m0', 'int4']);
    // The accumulator is --acc 12 plus the sticky ovf; formats with specials would add flags (none here).
    expect(full.rows.every((x) => x.accWidth === 12 && x.counts?.ff === 13)).toBe(true);
    const csv = text('full', 'results.csv').trimEnd().split('\n');
    expect(csv).toHaveLength(29);
    expect(csv[0]).toMatch(/^index,name,weight,weight_kind,weight_bits,activation,activation_kind,activation_bits,total_bits,target,/);
    // The unit name of each row, and SQNR (quant/accuracy.ts is there) at 2 decimals.
    const head = csv[0].split(',');
    const cells = csv.slice(1).map((l) => l.split(','));
    expect(cells.map((c) => c[1])).toEqual(full.rows.map((x) => x.name));
    for (const col of ['weight_sqnr_db', 'activation_sqnr_db', 'output_sqnr_db']) {
      expect(head).toContain(col);
      expect(cells.every((c) => /^-?\d+\.\d\d$/.test(c[head.indexOf(col)]))).toBe(true);
    }
    const md = text('full', 'index.md');
    for (const h of ['## LUTs of each weight × activation pair', '## Minifloat vs integer at equal bits', '## Pareto front of LUTs against bits', '## Same-format pairs']) {
      expect(md).toContain(h);
    }
    expect(md).toMatch(/^\| int4( \| \d+){4} \|$/m);
    expect(md).toMatch(/^\| 4 \| e2m1 \| \d+ \| int4 \| \d+ \| \d\.\d\d \|$/m);
    const html = text('full', 'index.html');
    // the charts are drawn into the page as SVG when it is written, so it reads with scripts off
    expect(html.match(/<div class="chart" id="chart-[a-z-]+" data-coloured="1"><svg /g)?.length).toBe(5);
    // self-contained: no stylesheet, image or script is fetched
    expect(html).not.toMatch(/<(link|img)\b|<script[^>]*\ssrc=/);
  });

  it('a warm re-run is served from the cache and gives byte-identical results', async () => {
    const r = await sweep('warm', SWEEP);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('sweep: 28 cached, 0 to synthesize');
    for (const f of ['results.json', 'results.csv']) expect(text('warm', f)).toBe(text('full', f));
  });

  it('three shards merged equal the unsharded sweep', async () => {
    const dirs: string[] = [];
    for (const i of [1, 2, 3]) {
      const r = await sweep(`part-shard-${i}-of-3`, [...SWEEP, '--shard', `${i}/3`]);
      expect(r.exitCode).toBe(0);
      expect(results(`part-shard-${i}-of-3`).shard).toEqual({ index: i, count: 3 });
      dirs.push(join(root, `part-shard-${i}-of-3`));
    }
    const m = await cli('merge', ['--out', root, dirs[2], dirs[0], dirs[1]]);
    expect(m.stderr).toBe('');
    expect(m.exitCode).toBe(0);
    for (const f of ['results.json', 'results.csv']) expect(text('part', f)).toBe(text('full', f));
  });

  it('a corrupt cache entry is detected, discarded and redone', { timeout: 600_000 }, async () => {
    const c = new ResultCache(cache);
    const [a, b] = full.rows.filter((x) => x.weight.spec === 'e1m1' && ['e1m1', 'int3'].includes(x.activation.spec));
    const pa = c.path(a.key as string);
    const pb = c.path(b.key as string);
    writeFileSync(pa, readFileSync(pa, 'utf8').slice(0, 100)); // truncated
    const tampered = JSON.parse(readFileSync(pb, 'utf8'));
    tampered.record.counts.lut -= 1; // valid JSON, wrong checksum
    writeFileSync(pb, JSON.stringify(tampered));
    const r = await sweep('redo', ['--wfmt', 'e1m1', '--afmt', 'e1m1,int3']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('sweep: 0 cached, 2 to synthesize');
    expect(r.stderr).toContain(`warning: corrupt cache entry ${pa} discarded and redone`);
    expect(r.stderr).toContain(`warning: corrupt cache entry ${pb} discarded and redone`);
    expect(results('redo').rows.map((x) => x.counts)).toEqual([a.counts, b.counts]);
    expect(new ResultCache(cache).get(b.key as string)?.ok).toBe(true);
  });

  it('a sweep killed midway resumes with nothing lost or corrupt', { timeout: 900_000 }, async () => {
    const fresh = join(root, 'cache-kill');
    const args = ['--acc', '12', '--out', root, '--run', 'killed', '--cache', fresh, '--jobs', '1', '--wfmt', 'int3,e2m0', '--afmt', 'e1m1,int3,e2m1'];
    const child = execa(TSX, [`${ROOT}synth/cli/sweep.ts`, ...args], { reject: false, cwd: ROOT, detached: true });
    while (cacheFiles(fresh).length < 2) {
      if (child.exitCode !== null) throw new Error('the sweep finished before it could be killed');
      await new Promise((res) => setTimeout(res, 100));
    }
    process.kill(-(child.pid as number), 'SIGKILL'); // the whole process group, mid-design
    await child;
    expect(existsSync(join(root, 'killed'))).toBe(false);
    const kept = cacheFiles(fresh);
    const c = new ResultCache(fresh);
    for (const f of kept) expect(c.get(f.split('/').pop()!.replace('.json', ''))?.ok).toBe(true);
    expect(c.discarded).toEqual([]);
    const r = await cli('sweep', args);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`sweep: ${kept.length} cached, ${6 - kept.length} to synthesize`);
    const want = full.rows.filter((x) => ['int3', 'e2m0'].includes(x.weight.spec) && ['e1m1', 'int3', 'e2m1'].includes(x.activation.spec));
    const got = results('killed').rows;
    expect(got.map((x) => [x.weight.spec, x.activation.spec, x.key, x.counts])).toEqual(
      [...want].sort((p, q) => (p.weight.spec === q.weight.spec ? 0 : p.weight.spec === 'int3' ? -1 : 1)).map((x) => [x.weight.spec, x.activation.spec, x.key, x.counts]),
    );
  });

  it('index.html draws every chart live in headless Chromium, with axis titles, legends and the Pareto lines, and no console errors', async () => {
    requireTool('chromium');
    const profile = tempDir('minimac-chromium-');
    const page = `file://${join(root, 'full', 'index.html')}`;
    const chromium = (extra: string[]) =>
      execa(
        'chromium',
        [
          '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
          // virtual time runs the page's scripts (Vega draws asynchronously) before the DOM is taken
          '--virtual-time-budget=20000', ...extra, page,
        ],
        { reject: false, timeout: 180_000 },
      );
    const r = await chromium(['--dump-dom']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toMatch(/CONSOLE|Uncaught|SyntaxError|TypeError/);
    const boxes = [...r.stdout.matchAll(/<div class="chart" id="chart-([a-z-]+)" data-coloured="(\d)"([^>]*)>([\s\S]*?)<\/div><\/section>/g)];
    const ids = boxes.map((m) => m[1]);
    expect(ids).toEqual(['heatmap', 'bits', 'pareto-bits', 'lut-ff', 'accuracy']);
    // every view was drawn live (the static SVG replaced), none failed
    expect(r.stdout).toContain(`data-live="${ids.length}"`);
    for (const [, id, coloured, attrs, body] of boxes) {
      expect({ id, live: attrs.includes('data-live="1"') }).toEqual({ id, live: true });
      expect(chartProblems(id, coloured === '1', body)).toEqual([]);
    }
    // the tables are on the page too, sortable
    for (const t of ['same-format', 'float-vs-int', 'pareto-bits-table']) expect(r.stdout).toMatch(new RegExp(`<table class="sortable" id="${t}">`));
    // a screenshot for review, kept with the test artifacts
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'sweep-report.png');
    rmSync(shot, { force: true });
    const s = await chromium(['--window-size=1280,4000', `--screenshot=${shot}`]);
    expect(s.exitCode).toBe(0);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});
