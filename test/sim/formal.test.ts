/**
 * `verify --formal --netlist FILE --unit DIR`: the xc7 netlists of two small units (one with a
 * pipeline stage and 2 lanes) are PROVEN equal to their RTL by the wasm Yosys; a LUT INIT bit
 * flipped in a netlist is FAILED with a counterexample from reset (not UNKNOWN); bad input is one line.
 */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINIMAC, ROOT, removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const UNITS = [
  { name: 'minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p0_l1', gen: ['--fmt', 'e2m1', '--acc', '8'] },
  { name: 'minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p1_l2', gen: ['--fmt', 'e2m1', '--acc', '8', '--pipeline', '1', '--lanes', '2'] },
];
const run = (cmd: string, args: string[]) => execa('node', [MINIMAC, cmd, ...args], { reject: false, cwd: ROOT });
let root = '';
const unitDir = (n: string) => join(root, n);
const netlistOf = (n: string) => join(root, 'reports', n, 'xc7.netlist.v');

beforeAll(async () => {
  root = tempDir('minimac-formal-');
  for (const u of UNITS) {
    const [g, s] = await Promise.all([run('gen', [...u.gen, '--out', root]), run('synth', [...u.gen, '--target', 'xc7', '--write-netlist', '--out', join(root, 'reports')])]);
    expect([g.exitCode, s.exitCode, g.stderr, s.stderr]).toEqual([0, 0, '', '']);
  }
}, 60_000);

describe('verify --formal --netlist FILE --unit DIR', () => {
  it('the xc7 netlists are PROVEN equal to the RTL, every register matched; and a flipped LUT INIT bit is FAILED', async () => {
    const [u0, u1] = UNITS;
    const text = readFileSync(netlistOf(u0.name), 'utf8');
    const m = [...text.matchAll(/(LUT[2-6] #\(\n {4}\.INIT\((\d+)'h([0-9a-f]+)\)\n)/g)].find((x) => !/^(0+|f+)$/.test(x[3]))!;
    const digits = (BigInt(`0x${m[3]}`) ^ 1n).toString(16).padStart(m[3].length, '0');
    const bad = join(root, 'planted.netlist.v');
    writeFileSync(bad, text.slice(0, m.index) + m[1].replace(`${m[2]}'h${m[3]}`, `${m[2]}'h${digits}`) + text.slice(m.index! + m[1].length));
    const [p0, p1, f] = await Promise.all([
      run('verify', ['--formal', '--json', '--netlist', netlistOf(u0.name), '--unit', unitDir(u0.name)]),
      run('verify', ['--formal', '--json', '--netlist', netlistOf(u1.name), '--unit', unitDir(u1.name)]),
      run('verify', ['--formal', '--json', '--netlist', bad, '--unit', unitDir(u0.name)]),
    ]);
    const [j0, j1, jf] = [p0, p1, f].map((r) => JSON.parse(r.stdout));
    // Solver seconds, for the record (the three ran at once on a shared machine).
    console.log(`formal: ${u0.name} ${j0.result} ${j0.seconds} s; ${u1.name} ${j1.result} ${j1.seconds} s; planted ${jf.result} ${jf.seconds} s`);
    expect([p0.exitCode, j0.result, j0.detail]).toEqual([0, 'PROVEN', '9 points (outputs and registers) proven by one-step induction']);
    // acc (8) + ovf + s1_en + s1_clr + s1_contrib (9): the pipeline registers are matched too.
    expect([p1.exitCode, j1.result, j1.detail]).toEqual([0, 'PROVEN', '20 points (outputs and registers) proven by one-step induction']);
    expect([f.exitCode, jf.result]).toEqual([1, 'FAILED']);
    expect(jf.detail).toMatch(/^an output differs at step \d+ after reset at step 1/);
    expect(jf.logTail).toContain('proof did fail');
  }, 120_000);

  it('bad input: one line naming the flag, exit 2', async () => {
    const n = UNITS[0].name;
    const [a, b] = await Promise.all([
      run('verify', ['--formal', '--unit', unitDir(n)]),
      run('verify', ['--formal', '--fmt', 'e2m1']),
    ]);
    for (const r of [a, b]) {
      expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, '', 'error: --formal proves a netlist equal to its RTL: it needs --netlist FILE --unit DIR (--formal)']);
    }
    const c = await run('verify', ['--formal', '--netlist', netlistOf(n), '--unit', unitDir(n), '--sim', 'both']);
    expect([c.exitCode, c.stdout, c.stderr]).toEqual([2, '', 'error: --formal runs no simulation: --sim cannot go with it (--sim)']);
  });
});
