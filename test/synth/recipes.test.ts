/**
 * The recipes for running the sweep on many machines (synth/README.md, "Running the sweep on many
 * machines"). GitHub Actions: the workflow passes @action-validator/core (which does reject a broken
 * copy), and its wiring is checked by running its shell steps with a stand-in npm that records
 * its arguments. Slurm: the shard script run three times at once on one shared cache, then the
 * merge script, give results.json and results.csv byte-identical to one unsharded sweep; a design
 * Yosys fails on does not stop the merge; submit.sh chains the array and the merge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateWorkflow } from '@action-validator/core';
import { ROOT, TSX, removeTempDirs, tempDir } from '../support/tools.ts';
import type { SweepResults } from '../../synth/sweep.ts';

afterAll(removeTempDirs);

const WORKFLOW = join(ROOT, '.github/workflows/nightly-sweep.yml');
const SLURM = join(ROOT, 'synth/recipes/slurm');

/** The environment without anything of Slurm or of these scripts that the test runner may carry. */
const cleanEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(SLURM_|SBATCH_|MINIMAC_|SWEEP_ARGS$)/.test(e[0])));

/** A folder of executable stand-ins (name → bash body), for the front of PATH. */
function fakeBin(tools: Record<string, string>): string {
  const dir = tempDir('minimac-fakebin-');
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

// ---------------------------------------------------------------- GitHub Actions

type Step = { name?: string; id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { needs?: string | string[]; if?: string; 'runs-on'?: string; env?: Record<string, string>; strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> }; steps: Step[] };
type Workflow = { on: Record<string, unknown>; env?: Record<string, string>; jobs: Record<string, Job> };

/** Replace every `${{ expr }}` by its value in `ctx`; an expression not in it is an error, never left in. */
function evaluate(text: string, ctx: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => {
    if (!(e in ctx)) throw new Error(`no value for the expression ${e} in ${JSON.stringify(text)}`);
    return ctx[e];
  });
}

/** A glob of artifact names (`*` only) as a regular expression. */
const globRe = (g: string) => new RegExp(`^${g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Run a step's shell as GitHub does (`shell: bash`), npm replaced by a stand-in; returns npm's argv. */
function runStep(script: string, cwd: string, env: Record<string, string>): string[] {
  const argv = join(tempDir('minimac-step-'), 'argv.json');
  const bin = fakeBin({ npm: `exec node -e 'require("fs").writeFileSync(process.env.FAKE_NPM_ARGV, JSON.stringify(process.argv.slice(1)))' -- "$@"` });
  const file = join(tempDir('minimac-step-'), 'step.sh');
  writeFileSync(file, script);
  execaSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env: { ...cleanEnv(), ...env, FAKE_NPM_ARGV: argv, PATH: `${bin}:${process.env.PATH}` }, extendEnv: false });
  return JSON.parse(readFileSync(argv, 'utf8')) as string[];
}

/** `npm run <script> -- flags… positional…` → the script, each `--flag value` and the rest. */
function npmRun(argv: string[]): { script: string; flags: Record<string, string>; positional: string[] } {
  expect(argv.slice(0, 1)).toEqual(['run']);
  expect(argv[2]).toBe('--');
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 3; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      expect(flags[argv[i]], `${argv[i]} given twice`).toBeUndefined();
      flags[argv[i]] = argv[++i];
    } else positional.push(argv[i]);
  }
  return { script: argv[1], flags, positional };
}

const stepNamed = (job: Job, pred: (s: Step) => boolean, what: string): Step => {
  const s = job.steps.filter(pred);
  expect(s, what).toHaveLength(1);
  return s[0];
};

/**
 * Every wiring rule of the workflow; throws (an assertion error) at the first one broken. The
 * schema cannot see these: that the merge waits for the shards, that N shards are each run
 * once with `--shard i/N`, that each uploads its own report under its own name, and that the
 * merge is handed exactly those reports.
 */
function checkWiring(text: string): void {
  const wf = parse(text) as Workflow;
  // Triggers: nightly, and by hand with optional sweep flags.
  const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, { type: string; default: string }> } };
  expect(on.schedule[0].cron.split(/\s+/)).toHaveLength(5);
  expect(on.workflow_dispatch.inputs.sweep_args).toMatchObject({ type: 'string', default: '' });

  // The shard job is the one with a matrix; its only dimension is the shard list 1..N, so
  // strategy.job-total is N.
  const shardJobs = Object.entries(wf.jobs).filter(([, j]) => j.strategy?.matrix);
  expect(shardJobs).toHaveLength(1);
  const [shardId, shard] = shardJobs[0];
  const matrix = shard.strategy!.matrix as { shard: number[] };
  expect(Object.keys(matrix)).toEqual(['shard']);
  const N = matrix.shard.length;
  expect(N).toBeGreaterThan(1);
  expect(matrix.shard).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  expect(shard.strategy!['fail-fast']).toBe(false);
  // No ${{ }} in any shell script: the dispatch input reaches the shell only as an environment
  // variable, never pasted into the script (no script injection).
  for (const j of Object.values(wf.jobs)) for (const s of j.steps) if (s.run) expect(s.run).not.toContain('${{');

  const yosysStep = stepNamed(shard, (s) => s.id === 'yosys', 'the Yosys version step');
  const restore = stepNamed(shard, (s) => s.uses?.startsWith('actions/cache/restore@') ?? false, 'the cache restore');
  const save = stepNamed(shard, (s) => s.uses?.startsWith('actions/cache/save@') ?? false, 'the cache save');
  const sweep = stepNamed(shard, (s) => s.run?.includes('npm run sweep ') ?? false, 'the sweep step');
  const upload = stepNamed(shard, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'the shard upload');
  // A shard with a failed design exits 1: its cache and report must still be kept.
  for (const s of [save, upload]) expect(s.if).toMatch(/always\(\)/);
  for (const j of Object.values(wf.jobs)) {
    expect(j.steps[0].uses).toMatch(/^actions\/checkout@/);
    const node = stepNamed(j, (s) => s.uses?.startsWith('actions/setup-node@') ?? false, 'setup-node');
    expect(node.with).toEqual({ 'node-version': 20, cache: 'npm' });
    expect(j.steps.some((s) => s.run === 'npm ci')).toBe(true);
  }

  // The version step reads the Yosys version from package-lock.json: the one installed.
  const out = join(tempDir('minimac-gh-'), 'output');
  writeFileSync(out, '');
  runStepPlain(yosysStep.run!, ROOT, { GITHUB_OUTPUT: out });
  const installed = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@yowasp/yosys/package.json'), 'utf8')) as { version: string }).version;
  expect(readFileSync(out, 'utf8')).toBe(`version=${installed}\n`);

  const artifacts: string[] = [];
  const keys: string[] = [];
  for (const i of matrix.shard) {
    const ctx: Record<string, string> = {
      'matrix.shard': String(i),
      'strategy.job-total': String(N),
      'github.run_id': '4242',
      'github.run_attempt': '1',
      'steps.yosys.outputs.version': installed,
      // Shard 1 as the nightly schedule runs it (no inputs: the expression is empty), the others as dispatched.
      'inputs.sweep_args': i === 1 ? '' : '--bits 3-4  --acc 12',
      ...Object.fromEntries(Object.entries(wf.env ?? {}).map(([k, v]) => [`env.${k}`, String(v)])),
    };
    const jobEnv = Object.fromEntries(Object.entries(shard.env ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
    for (const [k, v] of Object.entries(jobEnv)) ctx[`env.${k}`] = v;
    const stepEnv = Object.fromEntries(Object.entries(sweep.env ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx)]));
    const run = npmRun(runStep(sweep.run!, ROOT, { ...(wf.env ?? {}), ...jobEnv, ...stepEnv }));
    expect(run.script).toBe('sweep');
    expect(run.flags['--shard']).toBe(`${i}/${N}`);
    expect(run.flags['--jobs']).toBe('2');
    // The dispatch input, split at blanks; nothing more on a schedule.
    expect(Object.keys(run.flags).sort()).toEqual(['--cache', '--jobs', '--out', '--run', '--shard', ...(i === 1 ? [] : ['--acc', '--bits'])].sort());
    if (i > 1) expect([run.flags['--bits'], run.flags['--acc']]).toEqual(['3-4', '12']);
    expect(run.positional).toEqual([]);
    const shardRun = run.flags['--run'];
    expect(shardRun).toBe(`nightly-shard-${i}-of-${N}`);
    // The cache that is restored and saved is the one the sweep uses, under one key per shard and run.
    for (const s of [restore, save]) expect(evaluate(String(s.with?.path), ctx)).toBe(run.flags['--cache']);
    const key = evaluate(String(restore.with?.key), ctx);
    expect(evaluate(String(save.with?.key), ctx)).toBe(key);
    expect(key).toContain(installed);
    const prefixes = evaluate(String(restore.with?.['restore-keys']), ctx).trim().split('\n');
    expect(prefixes.length).toBeGreaterThan(0);
    for (const p of prefixes) expect(key.startsWith(p) && key !== p).toBe(true);
    keys.push(key);
    // The upload is the shard's report folder, named after the shard's run.
    expect(evaluate(String(upload.with?.path), ctx).replace(/\/$/, '')).toBe(`${run.flags['--out']}/${shardRun}`);
    const name = evaluate(String(upload.with?.name), ctx);
    expect(name).toBe(shardRun);
    artifacts.push(name);
  }
  expect(new Set(artifacts).size).toBe(N);
  expect(new Set(keys).size).toBe(N);

  // The merge waits for the shards, runs even when one failed (but not when cancelled), and
  // takes every shard's artifact, each downloaded into shards/<artifact name>/.
  const mergeJobs = Object.entries(wf.jobs).filter(([id]) => id !== shardId);
  expect(mergeJobs).toHaveLength(1);
  const [, merge] = mergeJobs[0];
  expect(([] as string[]).concat(merge.needs ?? [])).toContain(shardId);
  expect(merge.if).toMatch(/!cancelled\(\)|always\(\)/);
  const download = stepNamed(merge, (s) => s.uses?.startsWith('actions/download-artifact@') ?? false, 'the download');
  const pattern = globRe(String(download.with?.pattern));
  expect(artifacts.every((a) => pattern.test(a))).toBe(true);
  expect(download.with?.['merge-multiple']).toBeUndefined();
  const mergeStep = stepNamed(merge, (s) => s.run?.includes('npm run sweep:merge') ?? false, 'the merge step');
  const cwd = tempDir('minimac-gh-merge-');
  for (const a of artifacts) mkdirSync(join(cwd, String(download.with?.path), a), { recursive: true });
  const m = npmRun(runStep(mergeStep.run!, cwd, wf.env ?? {}));
  expect(m.script).toBe('sweep:merge');
  expect(new Set(m.positional)).toEqual(new Set(artifacts.map((a) => `${download.with?.path}/${a}`)));
  expect(m.positional).toHaveLength(N);
  expect(pattern.test(m.flags['--run'])).toBe(false); // the merged report is no shard
  const published = stepNamed(merge, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false, 'the merged upload');
  expect(String(published.with?.path).replace(/\/$/, '')).toBe(`${m.flags['--out']}/${m.flags['--run']}`);
  expect(published.if).toMatch(/always\(\)/);
  // Night after night: earlier nights are restored into --out before the merge, tonight is kept
  // (results.json and run.json under a name of its own) after the upload, and saved.
  const steps = merge.steps;
  const at = (x: Step) => steps.indexOf(x);
  const restoreNights = stepNamed(merge, (x) => x.uses?.startsWith('actions/cache/restore@') ?? false, 'the nights restore');
  const keep = stepNamed(merge, (x) => x.name === 'Keep tonight for tomorrow', 'the keep step');
  const saveNights = stepNamed(merge, (x) => x.uses?.startsWith('actions/cache/save@') ?? false, 'the nights save');
  expect([restoreNights.with?.path, saveNights.with?.path]).toEqual([m.flags['--out'], m.flags['--out']]);
  expect(saveNights.with?.key).toBe(restoreNights.with?.key);
  expect(at(restoreNights) < at(mergeStep) && at(published) < at(keep) && at(keep) < at(saveNights)).toBe(true);
  const night = join(cwd, m.flags['--out'], m.flags['--run']);
  mkdirSync(night, { recursive: true });
  for (const f of ['results.json', 'run.json', 'index.html']) writeFileSync(join(night, f), f);
  runStepPlain(keep.run!, cwd, { GITHUB_RUN_NUMBER: '42' });
  expect(readdirSync(join(cwd, m.flags['--out'])).sort()).toEqual(['night-000042']);
  expect(readdirSync(join(cwd, m.flags['--out'], 'night-000042')).sort()).toEqual(['results.json', 'run.json']);
}

/** Run a shell step as GitHub does, with nothing replaced. */
function runStepPlain(script: string, cwd: string, env: Record<string, string>): void {
  execaSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { ...cleanEnv(), ...env }, extendEnv: false });
}

describe('GitHub Actions: .github/workflows/nightly-sweep.yml', () => {
  const text = readFileSync(WORKFLOW, 'utf8');

  it('passes @action-validator/core with no errors', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it('the validator rejects a copy with runs-on removed or misspelt, a step that both runs and uses, bad YAML, an unknown job', () => {
    const merge = text.indexOf('\n  merge:\n');
    expect(merge).toBeGreaterThan(0);
    const inMerge = (from: string, to: string) => {
      const at = text.indexOf(from, merge);
      expect(at).toBeGreaterThan(0);
      return text.slice(0, at) + to + text.slice(at + from.length);
    };
    const noRunsOn = validateWorkflow(inMerge('    runs-on: ubuntu-latest\n', ''));
    expect(JSON.stringify(noRunsOn.errors)).toContain('"path":"/jobs/merge/runs-on","title":"This property is required"');
    const misspelt = validateWorkflow(inMerge('    runs-on: ubuntu-latest\n', '    runs_on: ubuntu-latest\n'));
    expect(JSON.stringify(misspelt.errors)).toContain("Additional property 'runs_on' is not allowed");
    expect(validateWorkflow(inMerge('      - run: npm ci\n', '      - run: npm ci\n        uses: actions/checkout@v5\n')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(text.replace('jobs:', 'jobs: [')).errors[0]).toMatchObject({ code: 'parse_error' });
    // It resolves job names too: a merge that needs a job that is not there.
    expect(validateWorkflow(text.replace('needs: shard\n', 'needs: shards\n')).errors).toMatchObject([{ code: 'unresolved_job', path: '/jobs/merge/needs' }]);
  });

  it('is wired right: shard matrix and --shard i/N, cache keys, unique artifacts, merge inputs', () => {
    checkWiring(text);
  });

  it('catches wiring mistakes the schema allows', () => {
    const mistakes = [
      text.replace('    needs: shard\n', ''), // the merge starts before the shards are done
      text.replace("    if: ${{ !cancelled() }}\n", ''), // no merge after a shard with a failed design
      text.replace("        if: always() && steps.sweep.outcome != 'skipped'\n        uses: actions/upload-artifact", '        uses: actions/upload-artifact'), // no report from such a shard
      text.replace('name: ${{ env.RUN }}', 'name: nightly-shard'), // every shard uploads under one name
      text.replace('--shard "$SHARD"', '--shard "${{ matrix.shard }}/8"'), // the count pasted into the script
      text.replace('shards/nightly-shard-*', 'shards/nightly-shard-1-*'), // merges one shard only
    ];
    for (const bad of mistakes) {
      expect(bad).not.toBe(text);
      expect(validateWorkflow(bad).errors).toEqual([]);
      expect(() => checkWiring(bad)).toThrow();
    }
  });
});

// ---------------------------------------------------------------- Slurm

const script = (name: string) => join(SLURM, name);
const bash = (name: string, env: Record<string, string>, cwd = tempDir('minimac-slurm-cwd-')) =>
  execa('bash', [script(name)], { env: { ...cleanEnv(), ...env }, extendEnv: false, reject: false, cwd });

describe('Slurm: synth/recipes/slurm', () => {
  const shared = tempDir('minimac-slurm-');
  const reports = join(shared, 'reports');
  const cache = join(shared, 'cache');
  // Three shards of --bits 3-4 (7 × 7 = 49 designs), as three array tasks would run them.
  const env = (extra: Record<string, string>) => ({
    MINIMAC_SHARED: shared,
    MINIMAC_REPORTS: reports,
    MINIMAC_CACHE: cache,
    MINIMAC_RUN: 'bits34',
    MINIMAC_SHARDS: '3',
    SWEEP_ARGS: '--bits 3-4 --acc 12',
    ...extra,
  });
  const read = (run: string, file: string) => readFileSync(join(reports, run, file), 'utf8');
  let shards: Awaited<ReturnType<typeof bash>>[];
  let merged: Awaited<ReturnType<typeof bash>>;
  let single: Awaited<ReturnType<typeof execa>>;

  beforeAll(async () => {
    // At once, like array tasks on three nodes, all writing into one cache; one design at a time
    // each, so the three together load this 2-core machine about as one --jobs 2 sweep would.
    shards = await Promise.all([1, 2, 3].map((i) => bash('sweep-shard.sbatch', env({ SLURM_ARRAY_TASK_ID: String(i), MINIMAC_JOBS: '1' }))));
    merged = await bash('merge.sbatch', env({}));
    // The unsharded sweep with the same cache: every design is a hit.
    single = await execa(TSX, [`${ROOT}synth/cli/sweep.ts`, '--bits', '3-4', '--acc', '12', '--jobs', '2', '--out', reports, '--run', 'single', '--cache', cache], {
      reject: false,
      cwd: ROOT,
    });
  }, 1_800_000);

  it('three shards through sweep-shard.sbatch, merged by merge.sbatch, equal one unsharded sweep byte for byte', () => {
    shards.forEach((r, k) => {
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toContain(`sweep-shard: shard ${k + 1}/3`);
      expect(r.stdout).toMatch(new RegExp(`^sweep [0-9a-f]{16}: 1[67] configurations \\(0 failed\\)`));
      const res = JSON.parse(read(`bits34-shard-${k + 1}-of-3`, 'results.json')) as SweepResults;
      expect(res.shard).toEqual({ index: k + 1, count: 3 });
    });
    // The shards split the 49 designs, none synthesized twice.
    const fresh = shards.map((r) => Number(/sweep: 0 cached, (\d+) to synthesize/.exec(r.stderr)?.[1]));
    expect(fresh).toEqual([17, 16, 16]);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/^merged 3 shards of sweep [0-9a-f]{16}: 49 configurations/);
    expect(single.exitCode, String(single.stderr)).toBe(0);
    expect(String(single.stderr)).toContain('sweep: 49 cached, 0 to synthesize');
    for (const f of ['results.json', 'results.csv']) expect(read('bits34', f)).toBe(read('single', f));
    const res = JSON.parse(read('bits34', 'results.json')) as SweepResults;
    expect(res.rows).toHaveLength(49);
    expect(res.shard).toBeUndefined();
    // results.csv: the unit name after index, SQNR at 2 decimals.
    const [head, ...rows] = read('bits34', 'results.csv').trimEnd().split('\n').map((l) => l.split(','));
    expect(rows.map((r) => r[head.indexOf('name')])).toEqual(res.rows.map((x) => x.name));
    expect(rows.every((r) => /^-?\d+\.\d\d$/.test(r[head.indexOf('output_sqnr_db')]))).toBe(true);
  });

  it('the scripts are plain bash: shebang, set -euo pipefail, #SBATCH lines as comments', async () => {
    for (const name of ['sweep-shard.sbatch', 'merge.sbatch', 'submit.sh']) {
      const src = readFileSync(script(name), 'utf8');
      expect(src.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(src).toMatch(/^set -euo pipefail$/m);
      expect((await execa('bash', ['-n', script(name)], { reject: false })).exitCode).toBe(0);
    }
    expect(readFileSync(script('sweep-shard.sbatch'), 'utf8')).toMatch(/^#SBATCH --array=1-\d+$/m);
  });

  it('bad settings exit 2 with a message, before anything is run or made', async () => {
    const out = tempDir('minimac-slurm-bad-');
    const cases: [string, Record<string, string>, RegExp][] = [
      ['sweep-shard.sbatch', { MINIMAC_SHARDS: '3' }, /SLURM_ARRAY_TASK_ID is not set/],
      ['sweep-shard.sbatch', { SLURM_ARRAY_TASK_ID: '1' }, /the shard count is not set/],
      ['sweep-shard.sbatch', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '3' }, /SLURM_ARRAY_TASK_ID must be a positive integer, not '0'/],
      ['sweep-shard.sbatch', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '3' }, /shard 4 of 3/],
      ['sweep-shard.sbatch', { SLURM_ARRAY_TASK_ID: '1', MINIMAC_SHARDS: '3', MINIMAC_RUN: '../x' }, /MINIMAC_RUN must be/],
      ['sweep-shard.sbatch', { SLURM_ARRAY_TASK_ID: '1', MINIMAC_SHARDS: '3', MINIMAC_REPO: out }, /no minimac clone at/],
      ['merge.sbatch', {}, /MINIMAC_SHARDS is not set/],
    ];
    for (const [name, e, msg] of cases) {
      const r = await bash(name, { MINIMAC_SHARED: out, ...e });
      expect(r.exitCode, `${name} ${JSON.stringify(e)}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    // SLURM_ARRAY_TASK_COUNT stands in for MINIMAC_SHARDS; a bad flag in SWEEP_ARGS is minimac's exit 2.
    const r = await bash('sweep-shard.sbatch', { MINIMAC_SHARED: out, SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3', SWEEP_ARGS: '--bits 3-4 --nope' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('shard 2/3');
    expect(r.stderr).toMatch(/--nope/);
  });

  it('a design Yosys fails on: the shard exits 0 with its error rows, the merge writes the report and exits 1', async () => {
    // A Yosys that names a version and fails every design (the native engine is a separate process).
    const bin = fakeBin({ yosys: 'if [ "${1:-}" = -V ]; then echo "Yosys 0.0 (fails every design)"; exit 0; fi\necho "ERROR: no" >&2; exit 1' });
    const dir = tempDir('minimac-slurm-fail-');
    const e = (x: Record<string, string>) => ({ MINIMAC_SHARED: dir, MINIMAC_RUN: 'f', MINIMAC_SHARDS: '2', SWEEP_ARGS: '--yosys native --wfmt e1m1 --afmt e1m1,int3 --acc 12', PATH: `${bin}:${process.env.PATH}`, ...x });
    for (const i of ['1', '2']) {
      const r = await bash('sweep-shard.sbatch', e({ SLURM_ARRAY_TASK_ID: i }));
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('1 configurations (1 failed)');
      expect(r.stderr).toContain(`shard ${i}/2: some designs failed to synthesize`);
    }
    const m = await bash('merge.sbatch', e({}));
    expect(m.exitCode).toBe(1);
    const res = JSON.parse(readFileSync(join(dir, 'f', 'results.json'), 'utf8')) as SweepResults;
    expect(res.rows.map((x) => x.ok)).toEqual([false, false]);
  });

  it('submit.sh submits the array, then the merge after it (afterok), with every setting exported', async () => {
    const log = join(tempDir('minimac-sbatch-'), 'calls.jsonl');
    // sbatch --parsable prints "id" or "id;cluster": the first call answers with a cluster.
    const bin = fakeBin({
      sbatch: `n=$(( $(cat "$LOG" 2>/dev/null | wc -l) + 1 ))
node -e 'const e = process.env; require("fs").appendFileSync(e.LOG, JSON.stringify({ argv: process.argv.slice(1), env: Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith("MINIMAC_") || k === "SWEEP_ARGS")) }) + "\\n")' -- "$@"
[ "$n" = 1 ] && echo "9001;cluster1" || echo 9002`,
    });
    const dir = tempDir('minimac-submit-');
    const r = await execa('bash', [script('submit.sh'), '5'], {
      env: { ...cleanEnv(), PATH: `${bin}:${process.env.PATH}`, LOG: log, MINIMAC_SHARED: 'rel/shared', SWEEP_ARGS: '--bits 3-6' },
      extendEnv: false,
      reject: false,
      cwd: dir,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string> });
    expect(calls).toHaveLength(2);
    const [array, merge] = calls;
    expect(array.argv).toContain('--parsable');
    expect(array.argv).toContain('--array=1-5');
    expect(array.argv.at(-1)).toBe(script('sweep-shard.sbatch'));
    expect(merge.argv).toContain('--dependency=afterok:9001');
    expect(merge.argv.at(-1)).toBe(script('merge.sbatch'));
    for (const c of calls) {
      expect(c.argv).toContain('--export=ALL');
      // Settled once, absolute, the same for both jobs.
      expect(c.env).toEqual({
        MINIMAC_REPO: ROOT.replace(/\/$/, ''),
        MINIMAC_SHARED: join(dir, 'rel/shared'),
        MINIMAC_CACHE: join(dir, 'rel/shared/.cache'),
        MINIMAC_REPORTS: join(dir, 'rel/shared'),
        MINIMAC_RUN: expect.stringMatching(/^sweep-\d{4}-\d\d-\d\d$/),
        MINIMAC_SHARDS: '5',
        SWEEP_ARGS: '--bits 3-6',
      });
      expect(c.argv.find((a) => a.startsWith('--output='))).toMatch(new RegExp(`^--output=${join(dir, 'rel/shared/logs')}/`));
    }
    expect(r.stdout).toContain('submitted: shards 9001 (array 1-5), merge 9002');
  });
});
