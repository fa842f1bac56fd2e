/**
 * Gate level through the real binary and real tools: `synth --write-netlist` keeps Yosys's mapped
 * netlist (counts, script of the sweep and record unchanged), `verify --netlist FILE --unit DIR`
 * passes on the xc7 and ecp5 netlists in Verilator and Icarus, a LUT INIT bit flipped in the
 * netlist fails in both, and bad input is one exact line naming the flag, exit 2, nothing written.
 */
import { execa } from 'execa';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthScript } from '../../synth/synth.ts';
import { scriptTemplate } from '../../synth/sweep.ts';
import { target } from '../../synth/targets.ts';
import { spotRows } from '../../synth/spot-check.ts';
import type { SweepRow } from '../../synth/sweep.ts';
import { MINIMAC, ROOT, removeTempDirs, requireTool, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const NAME = 'minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p0_l1';
const GEN = ['--fmt', 'e2m1', '--acc', '8'];
const run = (cmd: string, args: string[]) => execa('node', [MINIMAC, cmd, ...args], { reject: false, cwd: ROOT });
const verify = (args: string[]) => run('verify', args);
/** Stimulus kept small: all 256 pairs are still enumerated, plus 3000 random edges. */
const SMALL = ['--beats', '3000'];
/** Text matched literally inside a RegExp. */
const re = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let root = '';
let unit = '';
let reports = '';
let xc7 = '';
let ecp5 = '';
let records: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  requireTool('verilator');
  requireTool('iverilog');
  root = tempDir('minimac-netlist-');
  reports = join(root, 'reports');
  const g = await run('gen', [...GEN, '--out', root]);
  expect(g.exitCode).toBe(0);
  unit = join(root, NAME);
  // Three Yosys runs at once: the two netlists, and xc7 without the flag to compare counts with.
  const [x, e, plain] = await Promise.all([
    run('synth', [...GEN, '--target', 'xc7', '--write-netlist', '--json', '--out', reports]),
    run('synth', [...GEN, '--target', 'ecp5', '--write-netlist', '--json', '--out', reports]),
    run('synth', [...GEN, '--target', 'xc7', '--json', '--out', join(root, 'plain')]),
  ]);
  for (const r of [x, e, plain]) {
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  }
  records = { xc7: JSON.parse(x.stdout), ecp5: JSON.parse(e.stdout), plain: JSON.parse(plain.stdout) };
  xc7 = join(reports, NAME, 'xc7.netlist.v');
  ecp5 = join(reports, NAME, 'ecp5.netlist.v');
});

describe('synth --write-netlist', () => {
  it('keeps the netlist beside the record (flip-flops included), names it in --json, and leaves the counts alone', () => {
    expect(readdirSync(join(reports, NAME)).sort()).toEqual(['ecp5.json', 'ecp5.netlist.v', 'xc7.json', 'xc7.netlist.v']);
    expect(records.xc7.netlist).toBe(relative(ROOT, xc7));
    expect(records.ecp5.netlist).toBe(relative(ROOT, ecp5));
    expect(records.plain.netlist).toBeUndefined();
    expect(records.xc7.counts).toEqual(records.plain.counts);
    const text = readFileSync(xc7, 'utf8');
    expect(text).toContain(`module ${NAME}(`);
    // 8 accumulator bits and ovf: the FFs were written before the depth step deleted them.
    expect(text.match(/^ {2}FDRE #\(/gm)).toHaveLength(9);
    expect(text).not.toContain('(*'); // -noattr
    expect(readFileSync(ecp5, 'utf8').match(/^ {2}TRELLIS_FF #\(/gm)).toHaveLength(9);
  });

  it('the sweep script (and so its cache keys) is what it was; the netlist script only adds lines around the depth step', () => {
    const xc = target('xc7');
    const counting = synthScript('u.v', 'u', xc, false);
    expect(scriptTemplate(xc, false)).toBe(
      [
        'read_verilog {top}.v',
        'read_verilog -lib +/xilinx/cells_sim.v',
        'hierarchy -check -top {top}',
        'synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -nodsp -run prepare:map_memory',
        'synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -nodsp -run map_ffram:check',
        'tee -q -o stat.json stat -json',
        'delete t:FD* t:LD*',
        'tee -q -o ltp.txt ltp -noff',
        '',
      ].join('\n'),
    );
    const added = ['design -save mapped', 'design -load mapped', 'splitnets', 'write_verilog -noattr netlist.v'];
    const withNetlist = synthScript('u.v', 'u', xc, false, true);
    expect(withNetlist.split('\n').filter((l) => !added.includes(l)).join('\n')).toBe(counting);
    expect(records.plain.script).toBe(counting.replaceAll('u.v', `${NAME}.v`).replaceAll('-top u', `-top ${NAME}`));
    expect(records.xc7.script).toContain('write_verilog -noattr netlist.v');
  });
});

describe('verify --netlist FILE --unit DIR', () => {
  it('the xc7 netlist passes in Verilator and Icarus, Yosys xilinx cells picked, injection off and said so', async () => {
    const r = await verify(['--netlist', xc7, '--unit', unit, '--sim', 'both', ...SMALL]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^${re(`PASS ${NAME} (netlist ${xc7}, cells picked: +/xilinx/cells_sim.v): 256 (all) pairs, `)}\\d+ beats, \\d+ cycles${re(", no state injection (the netlist's registers are not the RTL's) in verilator + iverilog (seed 1)")}$`,
      ),
    );
  });

  it('the ecp5 netlist passes in both, with --lib +/ecp5/cells_sim.v given (and --json says so)', async () => {
    const r = await verify(['--netlist', ecp5, '--unit', unit, '--lib', '+/ecp5/cells_sim.v', '--sim', 'both', '--json', ...SMALL]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ unit: NAME, result: 'PASS', netlist: { file: ecp5, libs: ['+/ecp5/cells_sim.v'], picked: false } });
    expect(j.counts.injected ?? 0).toBe(0);
    expect(j.sims.map((s: { sim: string; mismatches: number }) => [s.sim, s.mismatches])).toEqual([['verilator', 0], ['iverilog', 0]]);
  });

  it('a planted bug (one bit of one LUT INIT flipped in the netlist) fails in both simulators, exit 1', async () => {
    const text = readFileSync(xc7, 'utf8');
    // LUTs whose function is not constant; a flipped bit may sit on an input combination the
    // logic never makes (a don't-care), so the next LUT is tried until one is caught.
    const luts = [...text.matchAll(/(LUT[2-6] #\(\n {4}\.INIT\((\d+)'h([0-9a-f]+)\)\n)/g)].filter((m) => !/^(0+|f+)$/.test(m[3]) && BigInt(`0x${m[3]}`) !== (1n << BigInt(m[2])) - 1n);
    expect(luts.length).toBeGreaterThan(10);
    let caught = '';
    for (const m of luts.slice(0, 4)) {
      const bits = Number(m[2]);
      const init = BigInt(`0x${m[3]}`) ^ 1n; // flip bit 0: the function of all-zero inputs
      const digits = init.toString(16).padStart(m[3].length, '0');
      const bad = text.slice(0, m.index) + m[1].replace(`${bits}'h${m[3]}`, `${bits}'h${digits}`) + text.slice(m.index! + m[1].length);
      const file = join(root, `planted-${m.index}.netlist.v`);
      writeFileSync(file, bad);
      const r = await verify(['--netlist', file, '--unit', unit, '--sim', 'both', ...SMALL]);
      if (r.exitCode === 0) continue;
      expect(r.exitCode).toBe(1);
      caught = r.stdout;
      expect(caught).toMatch(new RegExp(`^${re(`FAIL ${NAME} (netlist ${file}, cells picked: +/xilinx/cells_sim.v): 256 (all) pairs, `)}`));
      expect(caught).toMatch(/^verilator: \d+\+? mismatching cycle\(s\)$/m);
      expect(caught).toMatch(/^iverilog: \d+\+? mismatching cycle\(s\)$/m);
      expect(caught).toContain(`reproduce: npm run verify -- --netlist ${file} --unit ${unit} --seed 1`);
      break;
    }
    expect(caught, 'none of the first 4 planted LUT bugs was caught').not.toBe('');
  });

  it('a netlist whose vector nets feed their own bits (not split) is refused by Verilator, with the way out, and passes in Icarus', async () => {
    const file = join(ROOT, 'test/fixtures/e2m1-acc8-xc7-vector-nets.netlist.v');
    const [v, i] = await Promise.all([verify(['--netlist', file, '--unit', unit, ...SMALL]), verify(['--netlist', file, '--unit', unit, '--sim', 'iverilog', ...SMALL])]);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toBe('');
    expect(v.stderr).toMatch(new RegExp(`^${re(`FAIL: verilator build of the netlist ${file} failed (its harness build is its lint: any warning in the netlist fails it):\n`)}`));
    expect(v.stderr).toMatch(/%Warning-UNOPTFLAT: \S*netlist\.v:/);
    expect(v.stderr).toContain('hint: UNOPTFLAT in the netlist: its vector nets feed their own bits through cells, which Verilator orders as one block (5.006 got such a block wrong); split them into bits (Yosys `splitnets`, as synth --write-netlist does) or use --sim iverilog');
    expect(i.stderr).toBe('');
    expect(i.exitCode).toBe(0);
    expect(i.stdout).toMatch(new RegExp(`^PASS ${NAME} `));
  });

  const E = (rule: string, flag: string) => `error: ${rule} (${flag})`;
  const BAD: [string, () => string[], () => string][] = [
    ['--netlist without --unit', () => ['--netlist', xc7], () => E("--netlist needs --unit DIR: the netlist is checked against that unit's manifest", '--netlist')],
    ['--netlist without --unit, with gen flags', () => ['--netlist', xc7, '--fmt', 'e2m1'], () => E("--netlist needs --unit DIR: the netlist is checked against that unit's manifest", '--netlist')],
    ['--lib without --netlist', () => ['--unit', unit, '--lib', 'x.v'], () => E('--lib gives the cell models of --netlist FILE, which is missing', '--lib')],
    ['--no-lint with --netlist', () => ['--netlist', xc7, '--unit', unit, '--no-lint'], () => E('--netlist has no lint gate to skip (the harness build lints a netlist): --no-lint cannot go with it', '--no-lint')],
    ['a missing netlist', () => ['--netlist', join(root, 'nope.v'), '--unit', unit], () => E(`netlist file '${join(root, 'nope.v')}' does not exist or is not a file`, '--netlist')],
    ['a dangling link', () => { const l = join(root, 'dangling.v'); symlinkSync(join(root, 'gone.v'), l); return ['--netlist', l, '--unit', unit]; }, () => E(`netlist file '${join(root, 'dangling.v')}' does not exist or is not a file`, '--netlist')],
    ['a folder', () => ['--netlist', unit, '--unit', unit], () => E(`netlist file '${unit}' does not exist or is not a file`, '--netlist')],
    ['an empty path', () => ['--netlist', '', '--unit', unit], () => E("netlist file '' does not exist or is not a file", '--netlist')],
    ['an empty file', () => { const f = join(root, 'empty.v'); writeFileSync(f, '\n  \n'); return ['--netlist', f, '--unit', unit]; }, () => E(`netlist file '${join(root, 'empty.v')}' is empty`, '--netlist')],
    // Root reads any file whatever its mode, so unreadable is a file the kernel refuses to read.
    ['an unreadable file', () => ['--netlist', '/proc/self/mem', '--unit', unit], () => E("netlist file '/proc/self/mem' cannot be read: EIO", '--netlist')],
    ['a netlist of another top', () => { const f = join(root, 'other.v'); writeFileSync(f, readFileSync(xc7, 'utf8').replace(`module ${NAME}(`, 'module other_top(')); return ['--netlist', f, '--unit', unit]; }, () => E(`netlist '${join(root, 'other.v')}' has no module ${NAME} (the manifest's top): its modules are other_top`, '--netlist')],
    ['a missing --lib', () => ['--netlist', xc7, '--unit', unit, '--lib', join(root, 'cells.v')], () => E(`cell library '${join(root, 'cells.v')}' does not exist or is not a file`, '--lib')],
    ['a missing +/ library', () => ['--netlist', xc7, '--unit', unit, '--lib', '+/xilinx/nope.v'], () => E("cell library '+/xilinx/nope.v' is not in Yosys's share folder (such as +/xilinx/cells_sim.v)", '--lib')],
    ['a --lib that lacks the cells', () => ['--netlist', xc7, '--unit', unit, '--lib', '+/ecp5/cells_sim.v'], () => E("the netlist's cells CARRY4, FDRE, LUT3, LUT5, LUT6, MUXF7 have no model in the --lib files", '--lib')],
    ['cells no Yosys library has', () => { const f = join(root, 'odd.v'); writeFileSync(f, `module ${NAME}(input clk); MY_CELL u (.A(clk)); endmodule\n`); return ['--netlist', f, '--unit', unit]; }, () => E('no Yosys cell library (+/xilinx/cells_sim.v, +/ecp5/cells_sim.v, +/ice40/cells_sim.v) models every cell of the netlist (MY_CELL): give the models with --lib FILE (for a Vivado netlist, the UNISIM library)', '--lib')],
    ['an empty item in --lib', () => ['--netlist', xc7, '--unit', unit, '--lib', '+/xilinx/cells_sim.v,'], () => E("empty item in '+/xilinx/cells_sim.v,': give one value per comma", '--lib')],
  ];

  it('bad input: one exact line naming the flag, exit 2, nothing on stdout, nothing written', async () => {
    const cases = BAD.map(([label, args, want]) => ({ label, args: args(), want: want() }));
    const before = readdirSync(root).sort();
    const results = await Promise.all(cases.map((c) => verify(c.args)));
    results.forEach((r, i) => {
      expect([cases[i].label, r.stderr], cases[i].label).toEqual([cases[i].label, cases[i].want]);
      expect(r.exitCode, cases[i].label).toBe(2);
      expect(r.stdout, cases[i].label).toBe('');
    });
    // Only the inputs the cases made themselves are new: no report, no netlist, no cache folder.
    expect(readdirSync(root).sort()).toEqual(before);
  });
});

describe('sweep --spot-check N', () => {
  it('picks N of the synthesized rows by index, spread evenly; failed rows are never picked', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ index: 9 - i, ok: i !== 4 }) as unknown as SweepRow);
    expect(spotRows(rows, 3).map((r) => r.index)).toEqual([0, 3, 7]);
    expect(spotRows(rows, 50).map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(spotRows(rows, 0)).toEqual([]);
  });

  it("verifies the sampled design's netlist in both simulators and lists it in the report (int3 × e2m1: Verilator needs CARRY4's CO split)", async () => {
    const out = join(root, 'sweeps');
    const r = await run('sweep', ['--wfmt', 'e2m1', '--afmt', 'int3', '--acc', '8', '--spot-check', '1', '--jobs', '1', '--out', out, '--run', 'spot']);
    expect(r.exitCode).toBe(0);
    const unit3 = 'minimac_int3_x_e2m1_acc8_frac_1_floor_wrap_p0_l1';
    expect(r.stderr).toMatch(new RegExp(`^${re('spot check: 1 of 1 designs, gate level\n[spot 1/1] e2m1 × int3: PASS (')}[0-9.]+ s\\)$`, 'm'));
    const dir = join(out, 'spot');
    expect(readdirSync(dir)).toContain(`${unit3}.netlist.v`);
    const spot = JSON.parse(readFileSync(join(dir, 'spot-check.json'), 'utf8'));
    expect(spot.stimulus).toEqual({ seed: 1, beats: 5000, pairs: 5000 });
    expect(spot.checks).toHaveLength(1);
    expect(spot.checks[0]).toMatchObject({ index: 0, weight: 'e2m1', activation: 'int3', name: unit3, netlist: `${unit3}.netlist.v`, result: 'PASS' });
    expect(spot.checks[0].detail).toMatch(new RegExp(`^${re(`PASS ${unit3} (netlist ${unit3}.netlist.v, cells picked: +/xilinx/cells_sim.v): 128 (all) pairs, `)}`));
    const md = readFileSync(join(dir, 'index.md'), 'utf8');
    expect(md).toContain('## Gate-level spot checks\n');
    expect(md).toMatch(new RegExp(`^\\| 0 \\| e2m1 \\| int3 \\| PASS \\| ${unit3}\\.netlist\\.v \\| [0-9.]+ \\|$`, 'm'));
    // The sweep's own results are those of a sweep without the flag: no spot check in them.
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).not.toContain('spot');
  });

  it('bad input: --spot-check must be an integer from 0 to 1000', async () => {
    const r = await run('sweep', ['--wfmt', 'e2m1', '--afmt', 'int3', '--spot-check', 'x', '--out', join(root, 'never')]);
    expect([r.exitCode, r.stderr]).toEqual([2, "error: spot check count must be an integer from 0 to 1000, not 'x' (--spot-check)"]);
    expect(readdirSync(root)).not.toContain('never');
  });
});
