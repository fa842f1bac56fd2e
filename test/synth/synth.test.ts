/** `npm run synth` through the real CLI and real Yosys: a sane record, and the bad-input table of synth, sweep and merge. */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MINIMAC, ROOT, tempDir, removeTempDirs } from '../support/tools.ts';

afterAll(removeTempDirs);

const tmp = () => tempDir('minimac-synth-');
// The real binary (compiled dist/, or the sources when newer), a second faster per run than tsx.
const command = (cmd: 'synth' | 'sweep' | 'merge') => (cmd === 'merge' ? 'sweep-merge' : cmd);
const cli = (cmd: 'synth' | 'sweep' | 'merge', args: string[]) => execa('node', [MINIMAC, command(cmd), ...args], { reject: false, cwd: ROOT });
/** PATH with node alone, so `--yosys native` finds no yosys on every machine. */
const NO_YOSYS = { PATH: dirname(process.execPath) };
/** The sweep parameters a fake shard carries (the fields the merge and the report read). */
const PARAMS = { weights: ['e2m1'], activations: ['e2m1'], target: 'xc7', dsp: false, engine: 'wasm', yosysVersion: 'yowasp-yosys 0', acc: null, len: null };

describe('npm run synth', () => {
  it('--fmt e4m3 --acc 16 --json: LUTs by size, FF = accumulator + ovf, carry, depth, Yosys version and script; record kept', async () => {
    const out = tmp();
    const r = await cli('synth', ['--fmt', 'e4m3', '--acc', '16', '--json', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const rec = JSON.parse(r.stdout);
    const name = 'minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1';
    expect(rec).toMatchObject({ ok: true, name, top: name, target: 'xc7', dsp: false, engine: 'wasm', accWidth: 16, accFrac: -3, productWidth: 37 });
    expect(rec.weight).toEqual({ spec: 'e4m3', kind: 'float', bits: 8 });
    expect(rec.yosysVersion).toMatch(/^yowasp-yosys \d+\.\d+/);
    expect(rec.script).toContain(`hierarchy -check -top ${name}`);
    expect(rec.script).toContain('-nodsp');
    expect(rec.key).toMatch(/^[0-9a-f]{64}$/);
    const c = rec.counts;
    // The registers are exactly the accumulator and the sticky ovf bit (e4m3 has no specials).
    expect(c.ff).toBe(16 + 1);
    expect(c.lut).toBeGreaterThan(20);
    expect(Object.values(c.lutBySize as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(c.lut);
    expect(Object.keys(c.lutBySize).every((k) => /^LUT[1-6]$/.test(k))).toBe(true);
    expect(c.carry).toBe(c.cells.CARRY4);
    expect(c.carry).toBeGreaterThan(0);
    expect(c.dsp).toBe(0);
    expect(c.depth).toBeGreaterThan(2);
    expect(c.depth).toBeLessThan(c.lut + c.carry + 20);
    const kept = JSON.parse(readFileSync(join(out, name, 'xc7.json'), 'utf8'));
    expect(kept).toEqual(rec);
    expect(readdirSync(join(out, name))).toEqual(['xc7.json']);
  });

  it('prints the table by default', async () => {
    const out = tmp();
    const r = await cli('synth', ['--fmt', 'int4', '--acc', '12', '--target', 'ice40', '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^LUT +\d+ +\(SB_LUT4 \d+\)$/m);
    expect(r.stdout).toMatch(/^FF +13$/m);
    expect(r.stdout).toMatch(/^carry +\d+ +\(SB_CARRY \d+\)$/m);
    expect(r.stdout).toMatch(/^depth +\d+ logic levels/m);
  });
});

describe('synth --timeout', () => {
  it('a real run past its time ends with exit 1 and one line, and leaves no folder', async () => {
    const out = join(tmp(), 'NEW');
    const r = await cli('synth', ['--fmt', 'e4m3', '--lanes', '16', '--timeout', '1', '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('FAIL: timed out after 1 s (--timeout) while synthesizing minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l16 with Yosys');
    expect(existsSync(out)).toBe(false);
  });

  // audit: with --json a timed-out run printed nothing on stdout, so a JSON reader had nothing to parse
  it('with --json it also prints the failed record on stdout', async () => {
    const out = join(tmp(), 'NEW');
    const r = await cli('synth', ['--fmt', 'e4m3', '--lanes', '16', '--timeout', '1', '--out', out, '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l16',
      target: 'xc7',
      ok: false,
      timedOut: { seconds: 1, while: 'synthesizing minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l16 with Yosys' },
    });
    expect(r.stderr).toBe('FAIL: timed out after 1 s (--timeout) while synthesizing minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l16 with Yosys');
    expect(existsSync(out)).toBe(false);
  });
});

describe('bad input: one line on stderr, exit 2, nothing written', () => {
  const cases: [string, 'synth' | 'sweep' | 'merge', string[], string][] = [
    ['unknown target (synth)', 'synth', ['--fmt', 'e4m3', '--target', 'virtex2'], "error: unknown target 'virtex2': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['unknown target (sweep)', 'sweep', ['--bits', '3', '--target', 'XC9'], "error: unknown target 'XC9': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['unknown Yosys build', 'synth', ['--fmt', 'e4m3', '--yosys', 'js'], "error: Yosys build must be wasm or native, not 'js' (--yosys)"],
    ['shard out of range', 'sweep', ['--bits', '3', '--shard', '5/4'], 'error: shard index must be 1 to 4, not 5 (--shard)'],
    ['shard zero', 'sweep', ['--bits', '3', '--shard', '0/4'], 'error: shard index must be 1 to 4, not 0 (--shard)'],
    ['shard malformed', 'sweep', ['--bits', '3', '--shard', '2'], "error: shard must be i/n, such as 2/4, not '2' (--shard)"],
    ['bits out of range', 'sweep', ['--bits', '2-5'], "error: bits must be a range within 3-16, low to high, not '2-5' (--bits)"],
    ['bad weight format', 'sweep', ['--wfmt', 'e4m3,fp9'], "error: unknown format 'fp9': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--wfmt)"],
    ['bad acc', 'sweep', ['--bits', '3', '--acc', '1'], 'error: acc width must be at least 2, not 1 (--acc)'],
    ['bad jobs', 'sweep', ['--bits', '3', '--jobs', '0'], 'error: jobs must be 1 to 256, not 0 (--jobs)'],
    ['bad run name', 'sweep', ['--bits', '3', '--run', '../x'], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '../x' (--run)"],
    // issue 9: own-key table lookups, exact integers, one path component, one line
    ['target constructor (synth)', 'synth', ['--fmt', 'e4m3', '--target', 'constructor'], "error: unknown target 'constructor': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['target __proto__ (synth)', 'synth', ['--fmt', 'e4m3', '--target', '__proto__'], "error: unknown target '__proto__': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['target constructor (sweep)', 'sweep', ['--bits', '3', '--target', 'constructor'], "error: unknown target 'constructor': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['target __proto__ (sweep)', 'sweep', ['--bits', '3', '--target', '__proto__'], "error: unknown target '__proto__': expected one of xc7, xcup, ecp5, ice40, gates (--target)"],
    ['--constructor (sweep)', 'sweep', ['--bits', '3', '--constructor'], "error: unknown option '--constructor'; see --help (--constructor)"],
    ['--toString (synth)', 'synth', ['--fmt', 'e4m3', '--toString'], "error: unknown option '--toString'; see --help (--toString)"],
    ['huge shard count', 'sweep', ['--bits', '3', '--shard', '1/99999999999999999999'], 'error: shard count must be 1 to 10000, not 99999999999999999999 (--shard)'],
    ['shard with blanks', 'sweep', ['--bits', '3', '--shard', ' 1/2'], "error: shard must be i/n, such as 2/4, not ' 1/2' (--shard)"],
    ['huge jobs', 'sweep', ['--bits', '3', '--jobs', '99999999999999999999'], 'error: jobs must be 1 to 256, not 99999999999999999999 (--jobs)'],
    ['hex jobs', 'sweep', ['--bits', '3', '--jobs', '0x4'], "error: jobs must be a positive integer, not '0x4' (--jobs)"],
    ['huge bits', 'sweep', ['--bits', '3-99999999999999999999'], "error: bits must be a range within 3-16, low to high, not '3-99999999999999999999' (--bits)"],
    ['run ..', 'sweep', ['--bits', '3', '--run', '..'], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '..' (--run)"],
    ['run .', 'sweep', ['--bits', '3', '--run', '.'], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '.' (--run)"],
    ['run empty', 'sweep', ['--bits', '3', '--run', ''], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '' (--run)"],
    ['run a/b', 'sweep', ['--bits', '3', '--run', 'a/b'], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not 'a/b' (--run)"],
    ['run with newline', 'sweep', ['--bits', '3', '--run', 'a\nb'], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not 'a\\nb' (--run)"],
    ['cache under /proc', 'sweep', ['--bits', '3', '--cache', '/proc/nope'], "error: cannot write into '/proc/nope' (ENOENT) (--cache)"],
    ['cache empty', 'sweep', ['--bits', '3', '--cache', ''], 'error: folder must not be empty (give a path, such as . for the working folder) (--cache)'],
    ['timeout empty (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', ''], "error: timeout must be a decimal number of seconds, not '' (--timeout)"],
    ['timeout newline (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '1\n0'], "error: timeout must be a decimal number of seconds, not '1\\n0' (--timeout)"],
    ['timeout /proc (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '/proc'], "error: timeout must be a decimal number of seconds, not '/proc' (--timeout)"],
    ['timeout constructor (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', 'constructor'], "error: timeout must be a decimal number of seconds, not 'constructor' (--timeout)"],
    ['timeout .. (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '..'], "error: timeout must be a decimal number of seconds, not '..' (--timeout)"],
    ['timeout hex (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '0x10'], "error: timeout must be a decimal number of seconds, not '0x10' (--timeout)"],
    ['timeout 0 (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '0'], 'error: timeout must be more than 0 and at most 86400 seconds, not 0 (--timeout)'],
    ['timeout huge (synth)', 'synth', ['--fmt', 'e4m3', '--timeout', '99999999999999999999'], 'error: timeout must be more than 0 and at most 86400 seconds, not 99999999999999999999 (--timeout)'],
    ['stray word (synth)', 'synth', ['--fmt', 'e4m3', 'xc7'], "error: unexpected argument 'xc7': every value follows its flag (--flag VALUE); see --help (argument 'xc7')"],
  ];
  for (const [what, cmd, args, line] of cases) {
    it.concurrent(what, async () => {
      const out = tmp();
      const r = await cli(cmd, [...args, '--out', out]);
      expect(r.stderr).toBe(line);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(readdirSync(out)).toEqual([]);
    });
  }

  it('merging shards of different sweeps, a shard twice, or a missing shard', async () => {
    const dir = tmp();
    const shard = (name: string, id: string, index: number, count: number) => {
      mkdirSync(join(dir, name));
      const results = { schema: 1, sweep: { id, params: PARAMS, script: '' }, shard: { index, count }, rows: [] };
      writeFileSync(join(dir, name, 'results.json'), JSON.stringify(results));
      return join(dir, name);
    };
    const a = shard('a', 'aaaa', 1, 2);
    const b = shard('b', 'bbbb', 2, 2);
    const a2 = shard('a2', 'aaaa', 1, 2);
    const out = tmp();
    let r = await cli('merge', ['--out', out, a, b]);
    expect(r.stderr).toBe(`error: '${b}' is a shard of a different sweep (id bbbb, 2 shards) than '${a}' (id aaaa, 2 shards) (SHARD_DIR 2)`);
    expect(r.exitCode).toBe(2);
    r = await cli('merge', ['--out', out, a, a2]);
    expect(r.stderr).toBe(`error: shard 1/2 is given twice ('${a}' and '${a2}') (SHARD_DIR 2)`);
    expect(r.exitCode).toBe(2);
    r = await cli('merge', ['--out', out, a]);
    expect(r.stderr).toBe('error: shard(s) 2/2 missing (SHARD_DIR)');
    expect(r.exitCode).toBe(2);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(dir, 'merged'))).toBe(false);
  });

  // issue 9: folders that cannot be made fail at once; a refusal leaves no folder behind.
  const outCases: [string, 'synth' | 'sweep' | 'merge', (out: string, shard: string) => string[], string][] = [
    ['synth --out under /proc', 'synth', () => ['--fmt', 'e4m3', '--out', '/proc/minimac'], "error: cannot write into '/proc/minimac' (ENOENT) (--out)"],
    ['sweep --out under /proc', 'sweep', () => ['--bits', '3', '--out', '/proc/minimac'], "error: cannot write into '/proc/minimac' (ENOENT) (--out)"],
    ['merge --out under /proc', 'merge', (_o, sh) => ['--out', '/proc/x', sh], "error: cannot write into '/proc/x' (ENOENT) (--out)"],
    ['synth --out empty', 'synth', () => ['--fmt', 'e4m3', '--out', ''], 'error: folder must not be empty (give a path, such as . for the working folder) (--out)'],
    ['synth --yosys native (none installed) makes no NEW/', 'synth', (o) => ['--fmt', 'e4m3', '--yosys', 'native', '--out', join(o, 'NEW')], 'error: native yosys not found on PATH (install it, or use --yosys wasm) (--yosys)'],
    ['sweep --yosys native (none installed) makes no NEW/', 'sweep', (o) => ['--bits', '3', '--yosys', 'native', '--out', join(o, 'NEW')], 'error: native yosys not found on PATH (install it, or use --yosys wasm) (--yosys)'],
    ['sweep --cache under /proc makes no NEW/', 'sweep', (o) => ['--bits', '3', '--out', join(o, 'NEW'), '--cache', '/proc/nope'], "error: cannot write into '/proc/nope' (ENOENT) (--cache)"],
    ['merge --run ..', 'merge', (o, sh) => ['--out', join(o, 'm'), '--run', '..', sh], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '..' (--run)"],
    ['merge --run .', 'merge', (o, sh) => ['--out', join(o, 'm'), '--run', '.', sh], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not '.' (--run)"],
    ['merge --run a/b', 'merge', (o, sh) => ['--out', join(o, 'm'), '--run', 'a/b', sh], "error: run name must be letters, digits, '.', '_' or '-' (not starting with '.'), not 'a/b' (--run)"],
    ['merge --out empty', 'merge', (_o, sh) => ['--out', '', sh], 'error: folder must not be empty (give a path, such as . for the working folder) (--out)'],
    ['merge an empty shard argument', 'merge', (o) => ['--out', join(o, 'm'), ''], 'error: shard folder must not be empty (SHARD_DIR 1)'],
    ['merge a shard with no valid shard number', 'merge', (o, sh) => ['--out', join(o, 'm'), join(dirname(sh), 'bad-shard')], "error: '$S/bad-shard' has no valid shard number (index 1 to count, count at most 10000) (SHARD_DIR 1)"],
    ['merge a shard of the wrong shape', 'merge', (o, sh) => ['--out', join(o, 'm'), join(dirname(sh), 'bad-shape')], "error: '$S/bad-shape' is not a sweep result of schema 1 (SHARD_DIR 1)"],
    ['merge a missing shard folder', 'merge', (o) => ['--out', join(o, 'm'), join(o, 'nope')], "error: cannot read a sweep result from '$O/nope' (ENOENT) (SHARD_DIR 1)"],
    // audit: a cache inside the report folder was wiped by every run's report
    ['sweep --cache inside the report folder', 'sweep', (o) => ['--bits', '3', '--out', join(o, 'r'), '--run', 'n', '--cache', join(o, 'r', 'n', 'c')], "error: the cache '$O/r/n/c' lies in the report folder '$O/r/n', which every run replaces; put it elsewhere (--cache)"],
    // audit: the merged report replaced (deleted) the shard folder it was read from, or the folder holding the shards
    ['merge --run onto a shard it reads', 'merge', (_o, sh) => ['--out', dirname(sh), '--run', 'only-shard-1-of-1', sh], "error: the merged report '$S/only-shard-1-of-1' would replace the shard folder '$S/only-shard-1-of-1' it reads; give another --run or --out (--run)"],
    ['merge --run onto the folder holding the shards', 'merge', (_o, sh) => ['--out', dirname(dirname(sh)), '--run', basename(dirname(sh)), sh], "error: the merged report '$S' would replace the shard folder '$S/only-shard-1-of-1' it reads; give another --run or --out (--run)"],
  ];
  for (const [what, cmd, args, line] of outCases) {
    it.concurrent(what, async () => {
      const out = tmp();
      const shards = tmp();
      mkdirSync(join(shards, 'only-shard-1-of-1'));
      // Two broken shards beside the good one (never in `out`, which must stay empty).
      for (const [name, body] of [
        ['bad-shard', { schema: 1, sweep: { id: 'd', params: PARAMS, script: '' }, shard: { index: 3, count: 2 }, rows: [] }],
        ['bad-shape', { schema: 1, sweep: { id: 'd' }, shard: { index: 1, count: 1 }, rows: [] }],
      ] as const) {
        mkdirSync(join(shards, name));
        writeFileSync(join(shards, name, 'results.json'), JSON.stringify(body));
      }
      const results = { schema: 1, sweep: { id: 'cccc', params: PARAMS, script: '' }, shard: { index: 1, count: 1 }, rows: [] };
      writeFileSync(join(shards, 'only-shard-1-of-1', 'results.json'), JSON.stringify(results));
      const argv = args(out, join(shards, 'only-shard-1-of-1'));
      const env = argv.includes('native') ? { env: NO_YOSYS, extendEnv: false } : {};
      const r = await execa('node', [MINIMAC, command(cmd), ...argv], { reject: false, cwd: ROOT, ...env });
      expect(r.stderr).toBe(line.replaceAll('$O', out).replaceAll('$S', shards));
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(readdirSync(out)).toEqual([]);
      expect(readdirSync(shards).sort()).toEqual(['bad-shape', 'bad-shard', 'only-shard-1-of-1']);
    });
  }
});
