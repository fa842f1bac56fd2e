/** The verify CLI through the real binary: PASS line, both simulators, bad input, a missing simulator. */
import { execa } from 'execa';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TSX } from '../support/tools.ts';

const VERIFY = `${ROOT}sim/cli/verify.ts`;
const verify = (args: string[], env?: Record<string, string>) =>
  execa(TSX, [VERIFY, ...args], { reject: false, cwd: ROOT, env, extendEnv: env === undefined });

describe('npm run verify', () => {
  it('--fmt e4m3 --acc 16 --sim both passes with every pair, beats and cycles counted', async () => {
    const r = await verify(['--fmt', 'e4m3', '--acc', '16', '--sim', 'both', '--beats', '20000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^PASS minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1: 65536 \(all\) pairs, \d+ beats, \d+ cycles in verilator \+ iverilog \(seed 1\)$/m);
  });

  it('bad input exits 2 with one error line naming the flag', async () => {
    for (const [args, flag] of [
      [['--fmt', 'e4m3', '--sim', 'modelsim'], '--sim'],
      [['--fmt', 'e4m3', '--seed', '-1'], '--seed'],
      [['--fmt', 'e4m3', '--beats', 'many'], '--beats'],
      [['--fmt', 'e9m3'], '--fmt'],
      [['--afmt', 'e4m3'], '--wfmt'],
    ] as const) {
      const r = await verify([...args]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toMatch(new RegExp(`^error: .*\\(${flag}\\)$`));
    }
  });

  it('a missing simulator is an error with the install hint, never a skip', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'minimac-nosim-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await verify(['--fmt', 'e4m3'], { PATH: bin, HOME: process.env.HOME ?? '/tmp' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('verilator is not installed');
    expect(r.stderr).toContain('npm run setup');
    expect(r.stdout).not.toContain('PASS');
  });
});
