/** The verify CLI through the real binary: PASS line, both simulators, bad input, a missing simulator. */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, TSX, tempDir, removeTempDirs } from '../support/tools.ts';

afterAll(removeTempDirs);

const VERIFY = `${ROOT}sim/cli/verify.ts`;
const verify = (args: string[], env?: Record<string, string>) =>
  execa(TSX, [VERIFY, ...args], { reject: false, cwd: ROOT, env, extendEnv: env === undefined });

describe('npm run verify', () => {
  it('--fmt e4m3 --acc 16 --sim both passes with every pair, beats and cycles counted', async () => {
    const r = await verify(['--fmt', 'e4m3', '--acc', '16', '--sim', 'both', '--beats', '20000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // 23 states injected: the list of 14 (+max, +max − 1, −2^15, −2^15 + 1, zero with and without ovf, 8 random;
    // e4m3 has no nan/inf flags), then 3 flagged ones (ovf) for each of the 3 closers (idle clr, clearing beat, rst)
    expect(r.stdout).toMatch(/^PASS minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1: 65536 \(all\) pairs, \d+ beats, \d+ cycles, 23 accumulator states injected in verilator \+ iverilog \(seed 1\)$/m);
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
    const bin = tempDir('minimac-nosim-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await verify(['--fmt', 'e4m3'], { PATH: bin, HOME: process.env.HOME ?? '/tmp' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('verilator is not installed');
    expect(r.stderr).toContain('npm run setup');
    expect(r.stdout).not.toContain('PASS');
  });

  // issue 9: the exact one-line messages of verify's own flags, --timeout included.
  const TIMEOUT_RULE = 'timeout must be a decimal number of seconds, not';
  const BAD: [string[], string][] = [
    [['--timeout', ''], `error: ${TIMEOUT_RULE} '' (--timeout)`],
    [['--timeout', '1\n0'], `error: ${TIMEOUT_RULE} '1\\n0' (--timeout)`],
    [['--timeout', '/proc'], `error: ${TIMEOUT_RULE} '/proc' (--timeout)`],
    [['--timeout', 'constructor'], `error: ${TIMEOUT_RULE} 'constructor' (--timeout)`],
    [['--timeout', '..'], `error: ${TIMEOUT_RULE} '..' (--timeout)`],
    [['--timeout', '0x10'], `error: ${TIMEOUT_RULE} '0x10' (--timeout)`],
    [['--timeout', '1e3'], `error: ${TIMEOUT_RULE} '1e3' (--timeout)`],
    [['--timeout', '0'], 'error: timeout must be more than 0 and at most 86400 seconds, not 0 (--timeout)'],
    [['--timeout', '99999999999999999999'], 'error: timeout must be more than 0 and at most 86400 seconds, not 99999999999999999999 (--timeout)'],
    [['--seed', '99999999999999999999'], "error: seed must be an integer from 0 to 2147483647, not '99999999999999999999' (--seed)"],
    [['--beats', '0x10'], "error: beats must be an integer from 0 to 100000000, not '0x10' (--beats)"],
    [['--sim', 'constructor'], "error: simulator must be verilator, iverilog or both, not 'constructor' (--sim)"],
    [['--sim', 'a\nb'], "error: simulator must be verilator, iverilog or both, not 'a\\nb' (--sim)"],
  ];
  it.each(BAD)('%j', async (args, line) => {
    const r = await verify(['--fmt', 'e4m3', ...args]);
    expect(r.stderr).toBe(line);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--timeout on a real run ends with exit 1 and one line, kills the build and leaves no temporary folder', async () => {
    // A fresh cache, so nothing is cached: the Verilator build really runs when time is up.
    const cache = tempDir('minimac-timeout-cache-');
    const env = { ...process.env, MINIMAC_CACHE: cache } as Record<string, string>;
    const r = await execa(TSX, [VERIFY, '--fmt', 'e4m3', '--lanes', '4', '--timeout', '2'], { reject: false, cwd: ROOT, env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const where = ['linting', 'building the stimulus and golden-model outputs of', 'building', 'running'].join('|');
    expect(r.stderr).toMatch(new RegExp(`^FAIL: timed out after 2 s \\(--timeout\\) while (${where}) minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l4( in (Verilator|Icarus))?$`));
    // No build folder left half-made, and no process still working in the cache.
    const vdir = join(cache, 'verilator');
    const left = existsSync(vdir) ? readdirSync(vdir).filter((d) => d.includes('.tmp-')) : [];
    expect(left).toEqual([]);
    const alive = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(cache);
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });

  // audit: with --json a timed-out run printed nothing on stdout, so a JSON reader had nothing to parse
  it('--timeout with --json prints a FAIL record on stdout too', async () => {
    const cache = tempDir('minimac-timeout-cache-');
    const env = { ...process.env, MINIMAC_CACHE: cache } as Record<string, string>;
    const r = await execa(TSX, [VERIFY, '--fmt', 'e4m3', '--lanes', '4', '--timeout', '2', '--json'], { reject: false, cwd: ROOT, env });
    expect(r.exitCode).toBe(1);
    const rec = JSON.parse(r.stdout);
    expect([rec.unit, rec.result, rec.timedOut.seconds]).toEqual(['minimac_e4m3_x_e4m3_acc47_frac_18_floor_wrap_p0_l4', 'FAIL', 2]);
    expect(r.stderr).toBe(`FAIL: timed out after 2 s (--timeout) while ${rec.timedOut.while}`);
  });
});
