/**
 * The `minimac` command through the real binary: --version, -h/--help of every command with
 * examples, mistyped commands and npm scripts, `npx minimac gen`, and the compiled build giving
 * the same unit as the sources.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMAC, ROOT, TSX, removeTempDirs, tempDir } from '../../support/tools.ts';
import { COMMANDS } from '../../../generators/cli/minimac.ts';
import { gitCommit } from '../../../generators/util/about.ts';

afterAll(removeTempDirs);
const minimac = (args: string[], env: Record<string, string> = {}) => execa('node', [MINIMAC, ...args], { reject: false, cwd: ROOT, env });

describe('minimac --version', () => {
  it('prints the name, the package version and the commit of HEAD', async () => {
    const r = await minimac(['--version']);
    expect(r.exitCode).toBe(0);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    expect(r.stdout).toBe(`minimac ${version} (commit ${head})`);
  });

  it.each([['gen'], ['verify'], ['sweep'], ['sweep:merge']])('minimac %s --version (so npm run X -- --version) prints the same line', async (cmd) => {
    const [top, sub] = await Promise.all([minimac(['--version']), minimac([cmd, '--version'])]);
    expect([sub.exitCode, sub.stderr, sub.stdout]).toEqual([0, '', top.stdout]);
  });

  const fakeRepo = (files: Record<string, string>): string => {
    const d = tempDir('minimac-git-');
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), text);
    }
    return d;
  };
  const sha = 'a'.repeat(40);
  it.each([
    ['not a git checkout', {}, 'unknown'],
    ['a detached HEAD', { '.git/HEAD': `${sha}\n` }, sha],
    ['a loose ref', { '.git/HEAD': 'ref: refs/heads/cli\n', '.git/refs/heads/cli': `${sha}\n` }, sha],
    ['a packed ref', { '.git/HEAD': 'ref: refs/heads/cli\n', '.git/packed-refs': `# pack-refs\n${sha} refs/heads/cli\n` }, sha],
    ['a worktree (.git is a file)', { '.git': 'gitdir: wt\n', 'wt/HEAD': 'ref: refs/heads/x\n', 'wt/commondir': '../main\n', 'main/refs/heads/x': `${sha}\n` }, sha],
    ['a ref that is not there', { '.git/HEAD': 'ref: refs/heads/gone\n' }, 'unknown'],
  ] as [string, Record<string, string>, string][])('gitCommit: %s', (_what, files, want) => {
    expect(gitCommit(fakeRepo(files))).toBe(want);
  });
});

describe('minimac --help and <command> --help', () => {
  it('minimac --help lists every command', async () => {
    const r = await minimac(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: minimac <command>/);
    for (const c of Object.keys(COMMANDS)) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
  });

  const table = Object.keys(COMMANDS).flatMap((c) => [[c, '--help'], [c, '-h']]);
  it.each(table)('%s %s: usage, flags and two to four examples', async (cmd, flag) => {
    const r = await minimac([cmd, flag]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: minimac ${cmd}\\b`));
    const examples = r.stdout.split('examples:\n')[1]?.split('\n').filter((l) => l.startsWith(`  minimac ${cmd}`)) ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(4);
  });

  // audit: `bench verify --help` ran the whole benchmark, `bench qor --help` said "unknown option '--help'; see --help".
  it.each(['verify', 'synth', 'qor', 'quant', 'startup', 'mutants'])('bench %s --help prints the bench help and runs nothing', async (name) => {
    const [a, b] = await Promise.all([minimac(['bench', name, '--help']), minimac(['bench', '--help'])]);
    expect([a.exitCode, a.stderr, a.stdout]).toEqual([0, '', b.stdout]);
    expect(a.stdout).toMatch(/^usage: minimac bench <name>/);
  });

  // audit: the bench scripts ran `tsx bench/X.ts`, so `npm run bench:qor -- --help` died with a UsageError stack trace
  it('npm run bench:X goes through minimac bench X: --help prints the bench help, a bad flag is one line', async () => {
    const [help, bad] = await Promise.all([
      execa('npm', ['run', 'bench:qor', '--', '--help'], { reject: false, cwd: ROOT }),
      execa('npm', ['run', 'bench:startup', '--', '--bogus'], { reject: false, cwd: ROOT }),
    ]);
    expect([help.exitCode, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^usage: minimac bench <name>/);
    expect([bad.exitCode, bad.stdout, bad.stderr]).toEqual([2, '', "error: unknown option '--bogus'; see --help (--bogus)"]);
  });

  it('help <command> is <command> --help', async () => {
    const [a, b] = await Promise.all([minimac(['help', 'synth']), minimac(['synth', '--help'])]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('a mistyped command: one line, exit 2', () => {
  it.each([
    [['swep'], "error: unknown command 'swep'; did you mean sweep? (see minimac --help)"],
    [['gne', '--fmt', 'e4m3'], "error: unknown command 'gne'; did you mean gen? (see minimac --help)"],
    [['verfy'], "error: unknown command 'verfy'; did you mean verify? (see minimac --help)"],
    [['sweepmerge'], "error: unknown command 'sweepmerge'; did you mean sweep-merge? (see minimac --help)"],
    [['frobnicate'], "error: unknown command 'frobnicate'; commands: gen, verify, verify-all, synth, sweep, sweep-merge, quant, bench (see minimac --help)"],
    [[], 'error: give a command: gen, verify, verify-all, synth, sweep, sweep-merge, quant, bench (see minimac --help)'],
    [['--fmt', 'e4m3'], "error: unknown option '--fmt'; give a command first (--fmt)"],
    [['bench', 'startp'], "error: unknown bench 'startp'; did you mean startup? (see minimac bench --help)"],
    [['bench'], 'error: give a bench: verify, synth, qor, quant, startup, mutants (see minimac bench --help)'],
    // audit: bench names were looked up with `in` (inherited keys passed, then the import failed), and "benchs"
    [['bench', 'constructor'], "error: unknown bench 'constructor'; benches: verify, synth, qor, quant, startup, mutants (see minimac bench --help)"],
    [['bench', '__proto__', '--help'], "error: unknown bench '__proto__'; benches: verify, synth, qor, quant, startup, mutants (see minimac bench --help)"],
    [['bench', 'toString'], "error: unknown bench 'toString'; benches: verify, synth, qor, quant, startup, mutants (see minimac bench --help)"],
    [['constructor'], "error: unknown command 'constructor'; commands: gen, verify, verify-all, synth, sweep, sweep-merge, quant, bench (see minimac --help)"],
  ])('minimac %j', async (args, line) => {
    const r = await minimac(args);
    expect(r.stderr).toBe(line);
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(2);
  });

  it('npm run keeps stdout to minimac alone: --json through npm parses (so a mistyped script is silent; see README)', async () => {
    const out = tempDir('minimac-npm-json-');
    const r = await execa('npm', ['run', 'gen', '--', '--fmt', 'e2m1', '--acc', '8', '--json', '--out', out], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).accumulator.width).toBe(8);
    const bad = await execa('npm', ['run', 'gen', '--', '--fmt', 'e2m1', '--acc', '1'], { reject: false, cwd: ROOT });
    expect([bad.exitCode, bad.stdout, bad.stderr]).toEqual([2, '', 'error: acc width must be at least 2, not 1 (--acc)']);
  });

  it('npm run --loglevel=error swep names the missing script and the near one, exit 1', async () => {
    const r = await execa('npm', ['run', '--loglevel=error', 'swep'], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Missing script: "swep"');
    expect(r.stderr).toContain('npm run sweep');
  });
});

describe('stdout closed early', () => {
  it('minimac gen --json | true (a reader that is gone before the write) ends quietly', async () => {
    const out = tempDir('minimac-pipe-');
    const r = await execa('sh', ['-c', `node '${MINIMAC}' gen --fmt e4m3 --json --out '${out}' | true`], { reject: false, cwd: ROOT });
    expect(r.stderr).toBe('');
  });
});

describe('npx minimac and the compiled build', () => {
  it('npx minimac gen --fmt e4m3 --acc 16 writes the unit', async () => {
    const out = tempDir('minimac-npx-');
    const r = await execa('npx', ['minimac', 'gen', '--fmt', 'e4m3', '--acc', '16', '--out', out, '--json'], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.name).toBe('minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1');
    expect(readdirSync(join(out, m.name)).sort()).toEqual([...m.files].sort());
    expect(m.files).toHaveLength(8);
  });

  it('the compiled code (built apart, inside the repository) renders its precompiled templates into the same files as the sources, and sweeps', async () => {
    // A build of its own, so dist/ is never rewritten under another test that runs it.
    const outDir = join(tempDir('minimac-build-'), 'x');
    const build = join(ROOT, '.cache', `dist-test-${process.pid}`);
    const tsc = await execa('node', [join(ROOT, 'scripts/build.mjs'), '--out-dir', build], { reject: false, cwd: ROOT });
    expect(tsc.exitCode, tsc.stdout).toBe(0);
    // The compiled code renders from the precompiled templates, the sources compile them at run time.
    expect(readFileSync(join(build, 'templates.cjs'), 'utf8')).toContain('"unit.v.hbs":');
    try {
      const args = ['--afmt', 'e5m2', '--wfmt', 'int4', '--lanes', '2', '--name', 'u'];
      const js = await execa('node', [join(build, 'generators/cli/minimac.js'), 'gen', ...args, '--out', `${outDir}-js`], { reject: false, cwd: ROOT });
      const ts = await execa(TSX, [join(ROOT, 'generators/cli/gen.ts'), ...args, '--out', `${outDir}-ts`], { reject: false, cwd: ROOT });
      expect(js.stderr).toBe('');
      expect([js.exitCode, ts.exitCode]).toEqual([0, 0]);
      const files = readdirSync(join(`${outDir}-ts`, 'u')).sort();
      expect(readdirSync(join(`${outDir}-js`, 'u')).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(`${outDir}-js`, 'u', f), 'utf8'), f).toBe(readFileSync(join(`${outDir}-ts`, 'u', f), 'utf8'));
      // The sweep's worker threads and its accuracy module load as compiled JS too.
      const sweep = await execa('node', [join(build, 'generators/cli/minimac.js'), 'sweep', '--wfmt', 'e1m1', '--afmt', 'e1m1', '--acc', '12', '--jobs', '1', '--out', outDir, '--run', 'c', '--json'], { reject: false, cwd: ROOT });
      expect(sweep.exitCode, sweep.stderr).toBe(0);
      expect(JSON.parse(sweep.stdout)).toMatchObject({ configurations: 1, failed: 0 });
      const results = JSON.parse(readFileSync(join(outDir, 'c', 'results.json'), 'utf8'));
      expect(results.accuracy.errors).toEqual([]);
      expect(results.rows[0].accuracy.outputSqnrDb).toBeGreaterThan(0);
    } finally {
      await execa('rm', ['-rf', build]);
    }
  });
});
