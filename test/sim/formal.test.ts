/**
 * `verify --formal`: both proofs (unit = reference, xc7 netlist = RTL). The xc7 netlists of two
 * small units (one with a pipeline stage and 2 lanes) are PROVEN equal to their RTL by the wasm
 * Yosys, and the units equal to the reference; a LUT INIT bit flipped in a netlist is FAILED with
 * a counterexample from reset (not UNKNOWN); with gen flags the netlist is synthesized on the spot;
 * a time limit gives UNKNOWN, exit 1; an ecp5 netlist is refused; bad input is one line.
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
    const net = (j: { proofs: { property: string }[] }) => j.proofs.find((x) => x.property === 'netlist') as unknown as Record<string, string>;
    const ref = (j: { proofs: { property: string }[] }) => j.proofs.find((x) => x.property === 'reference') as unknown as Record<string, string>;
    // Solver seconds, for the record (the three ran at once on a shared machine).
    console.log(`formal: ${u0.name} ${j0.result} ${j0.seconds} s; ${u1.name} ${j1.result} ${j1.seconds} s; planted ${jf.result} ${jf.seconds} s`);
    expect([p0.exitCode, j0.result, net(j0).result, net(j0).detail, net(j0).netlist]).toEqual([0, 'PROVEN', 'PROVEN', '9 points (outputs and registers) proven by one-step induction', netlistOf(u0.name)]);
    expect([ref(j0).result, ref(j0).detail]).toEqual(['PROVEN', 'equal to the reference for every state and input: 1-induction over all outputs (4 registers), base case from reset']);
    // acc (8) + ovf + s1_en + s1_clr + s1_contrib (9): the pipeline registers are matched too.
    expect([p1.exitCode, j1.result, net(j1).detail, ref(j1).result]).toEqual([0, 'PROVEN', '20 points (outputs and registers) proven by one-step induction', 'PROVEN']);
    // the planted netlist: the unit itself is still equal to the reference, the netlist is not
    expect([f.exitCode, jf.result, ref(jf).result, net(jf).result]).toEqual([1, 'FAILED', 'PROVEN', 'FAILED']);
    expect(net(jf).detail).toMatch(/^an output differs at step \d+ after reset at step 1/);
    expect(net(jf).logTail).toContain('proof did fail');
  }, 120_000);

  it('with gen flags, both proofs (the netlist synthesized now), as text; a time limit is UNKNOWN, exit 1', async () => {
    const [ok, slow] = await Promise.all([run('verify', ['--fmt', 'e2m1', '--acc', '8', '--formal']), run('verify', ['--fmt', 'e2m1', '--acc', '8', '--formal', '--timeout', '0.5', '--json'])]);
    const lines = ok.stdout.split('\n');
    expect([ok.exitCode, ok.stderr]).toEqual([0, '']);
    expect(lines[0]).toMatch(/^PROVEN minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p0_l1 \(formal, 2 proofs, [\d.]+ s\)$/);
    expect(lines[1]).toMatch(/^ {2}unit = reference \(bench\/reference\): PROVEN, equal to the reference for every state and input: 1-induction/);
    expect(lines[2]).toMatch(/^ {2}netlist synthesized \(xc7\) = RTL: PROVEN, 9 points/);
    const j = JSON.parse(slow.stdout);
    expect([slow.exitCode, j.result, j.proofs.map((p: { result: string }) => p.result)]).toEqual([1, 'UNKNOWN', ['UNKNOWN', 'UNKNOWN']]);
    expect(j.proofs[0].detail).toMatch(/^proof did not finish: /);
  }, 120_000);

  it('bad input: one line naming the flag, exit 2; an ecp5 netlist is refused', async () => {
    const n = UNITS[0].name;
    const ecp5 = join(root, 'reports-ecp5');
    const s = await run('synth', [...UNITS[0].gen, '--target', 'ecp5', '--write-netlist', '--out', ecp5]);
    expect(s.exitCode).toBe(0);
    const [c, d, e] = await Promise.all([
      run('verify', ['--formal', '--netlist', netlistOf(n), '--unit', unitDir(n), '--sim', 'both']),
      run('verify', ['--formal', '--fmt', 'e2m1', '--beats', '10']),
      run('verify', ['--formal', '--netlist', join(ecp5, n, 'ecp5.netlist.v'), '--unit', unitDir(n)]),
    ]);
    expect([c.exitCode, c.stdout, c.stderr]).toEqual([2, '', 'error: --formal runs no simulation: --sim cannot go with it (--sim)']);
    expect([d.exitCode, d.stdout, d.stderr]).toEqual([2, '', 'error: --formal runs no simulation: --beats cannot go with it (--beats)']);
    expect([e.exitCode, e.stdout]).toEqual([2, '']);
    // the ecp5 cells (LUT4, TRELLIS_FF, …) are named in the message (execa drops the final newline)
    expect(e.stderr).toMatch(/^error: --formal proves xc7 netlists only \(cells of \+\/xilinx\/cells_sim\.v\), not one with [^\n]*LUT4[^\n]* \(--netlist\)$/);
  }, 120_000);
});
