/**
 * `minimac verify --json`: the record parses and carries PASS/FAIL, counts per simulator and the
 * first mismatches (inputs, expected, got). PASS through the real binary, FAIL in-process on a
 * planted bug (the CLI always verifies the RTL it generates).
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { MacConfig } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { reportJson, verifyUnit, type VerifyJson } from '../../sim/verify.ts';
import { MINIMAC, ROOT, requireTool } from '../support/tools.ts';

describe('minimac verify --json', () => {
  it('--fmt e2m1 --acc 8 --sim both: PASS, every pair, counts per simulator, progress-free stdout', async () => {
    requireTool('verilator');
    requireTool('iverilog');
    const r = await execa('node', [MINIMAC, 'verify', '--fmt', 'e2m1', '--acc', '8', '--sim', 'both', '--beats', '2000', '--json'], { reject: false, cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as VerifyJson;
    expect(j).toMatchObject({ unit: 'minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p0_l1', result: 'PASS', seed: 1, mismatches: [], vcd: null, reproduce: null });
    expect(j.counts).toMatchObject({ pairs: 256, exhaustive: true });
    expect(j.counts.cycles).toBeGreaterThan(j.counts.beats);
    expect(j.sims.map((s) => [s.sim, s.cycles, s.mismatches])).toEqual([
      ['verilator', j.counts.cycles, 0],
      ['iverilog', j.counts.cycles, 0],
    ]);
  });

  it('a planted bug: FAIL with the first mismatches, each with inputs, expected and got', async () => {
    requireTool('verilator');
    const cfg = new MacConfig({ fmt: 'e2m1', acc: 8 });
    const good = generateVerilog(cfg);
    const bad = good.replace('acc <= acc_next;', 'acc <= acc_next ^ 8\'d1;');
    expect(bad).not.toBe(good);
    const j = reportJson(await verifyUnit(cfg, { seed: 3, beats: 2000, sims: ['verilator'], verilog: bad, vcd: false }));
    expect(JSON.parse(JSON.stringify(j))).toEqual(j); // plain JSON, nothing lost
    expect(j.result).toBe('FAIL');
    expect(j.sims[0].mismatches).toBeGreaterThan(0);
    expect(j.mismatches.length).toBeGreaterThan(0);
    expect(j.mismatches.length).toBeLessThanOrEqual(10);
    const m = j.mismatches[0];
    expect(m).toMatchObject({ sim: 'verilator', inputs: { rst: expect.any(Boolean), en: expect.any(Boolean), a: expect.any(Array) } });
    expect(m.expected.acc).toMatch(/^[01]{8}$/);
    expect(BigInt('0b' + m.expected.acc) ^ 1n).toBe(BigInt('0x' + m.got.accHex));
    expect(j.reproduce).toMatch(/^npm run verify -- --afmt e2m1 --wfmt e2m1 --acc 8 .* --seed 3$/);
  });
});
