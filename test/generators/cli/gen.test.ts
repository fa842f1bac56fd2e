/** The gen CLI through the real binary: outputs, summary, --json, determinism, bad input. */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMAC, ROOT, TSX, removeTempDirs, tempDir } from '../../support/tools.ts';

const GEN = `${ROOT}generators/cli/gen.ts`;
const tmp = () => tempDir('minimac-gen-');
afterAll(removeTempDirs);
// The real binary (compiled dist/, or the sources when newer), a second faster per run than tsx.
const gen = (args: string[]) => execa('node', [MINIMAC, 'gen', ...args], { reject: false, cwd: ROOT });

describe('npm run gen', () => {
  it('--fmt e4m3 --acc 16 writes the unit, and the manifest says width 16, frac -3', async () => {
    const out = tmp();
    const r = await gen(['--fmt', 'e4m3', '--acc', '16', '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const name = 'minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1';
    expect(r.stdout).toContain(`unit         ${name}`);
    expect(r.stdout).toContain('accumulator  16 bits, frac -3, floor, wrap; drops the low 21 product bit(s) (floor)');
    const files = readdirSync(join(out, name)).sort();
    expect(files).toEqual(
      [`${name}.core`, `${name}.json`, `${name}.tcl`, `${name}.v`, `${name}_inst.vh`, `${name}_ooc.tcl`, `${name}_ooc.xdc`, `${name}_read.tcl`].sort(),
    );
    const m = JSON.parse(readFileSync(join(out, name, `${name}.json`), 'utf8'));
    expect(m.accumulator).toEqual({ width: 16, frac: -3, round: 'floor', overflow: 'wrap' });
    expect(m.product).toEqual({ width: 37, frac: 18 });
    expect(m).toMatchObject({ name, top: name, pipeline: 0, latency: 1, lanes: 1, generator: { name: 'minimac' } });
    expect(m.activation).toEqual({
      spec: 'e4m3', kind: 'float', bits: 8, exponentBits: 4, mantissaBits: 3, bias: 7, specials: 'none',
      max: 480, minNormal: 0.015625, minSubnormal: 0.001953125, lsbExponent: -9,
      maxExact: '480', minNormalExact: '2^-6', minSubnormalExact: '2^-9',
    });
    expect(m.ports.map((p: { name: string }) => p.name).sort()).toEqual(['a', 'acc', 'clk', 'clr', 'en', 'ovf', 'rst', 'w']);
    expect(m.ports.find((p: { name: string }) => p.name === 'acc')).toEqual({ name: 'acc', dir: 'out', width: 16 });
    expect([...m.files].sort()).toEqual(files);
    const v = readFileSync(join(out, name, `${name}.v`), 'utf8');
    for (const mod of v.matchAll(/^module (\w+)/gm)) expect(mod[1].startsWith(name)).toBe(true);
  });

  it('--json prints the manifest; specials add nan/pinf/ninf ports; int formats read kind int', async () => {
    const out = tmp();
    const r = await gen(['--afmt', 'float8_e5m2', '--wfmt', 'int4', '--lanes', '2', '--json', '--out', out]);
    expect(r.exitCode).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.activation).toMatchObject({ spec: 'e5m2ieee', specials: 'ieee', max: 57344, minSubnormal: 2 ** -16 });
    expect(m.weight).toMatchObject({ spec: 'int4', kind: 'int', bits: 4, signed: true });
    expect(m.ports.map((p: { name: string }) => p.name).sort()).toEqual(
      ['a', 'acc', 'clk', 'clr', 'en', 'nan', 'ninf', 'ovf', 'pinf', 'rst', 'w'].sort(),
    );
    expect(m.ports.find((p: { name: string }) => p.name === 'a').width).toBe(16);
    expect(existsSync(join(out, m.name, `${m.name}.v`))).toBe(true);
  });

  it('--name replaces the default name everywhere', async () => {
    const out = tmp();
    const r = await gen(['--fmt', 'e4m3', '--name', 'my_mac', '--out', out, '--json']);
    expect(r.exitCode).toBe(0);
    const v = readFileSync(join(out, 'my_mac', 'my_mac.v'), 'utf8');
    expect([...v.matchAll(/^module (\w+)/gm)].map((x) => x[1])).toEqual(['my_mac', 'my_mac__lane', 'my_mac__dec']);
    expect(readFileSync(join(out, 'my_mac', 'my_mac.core'), 'utf8')).toContain('toplevel: "my_mac"');
    expect(readFileSync(join(out, 'my_mac', 'my_mac.tcl'), 'utf8')).toContain('my_mac_ooc.xdc');
  });

  it('--clock-period sets the XDC clock, the manifest clock and, off 2.5 ns, the name', async () => {
    const out = tmp();
    const r = await gen(['--fmt', 'e4m3', '--acc', '16', '--clock-period', '3.333', '--out', out]);
    expect(r.exitCode).toBe(0);
    const name = 'minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1_clk3p333ns';
    expect(r.stdout).toContain('clock        3.333 ns (300.03 MHz) out of context, I/O delays 0.667 ns (the XDC)');
    expect(readFileSync(join(out, name, `${name}_ooc.xdc`), 'utf8')).toContain('create_clock -period 3.333 -name clk [get_ports clk]');
    const m = JSON.parse(readFileSync(join(out, name, `${name}.json`), 'utf8'));
    expect(m.request.clockPeriod).toBe(3.333);
    expect(m.clock).toEqual({ port: 'clk', period: 3.333, inputDelay: 0.667, outputDelay: 0.667 });
  });

  it('is deterministic: the same configuration gives byte-identical files', async () => {
    const [o1, o2] = [tmp(), tmp()];
    const args = ['--afmt', 'e3m2', '--wfmt', 'e2m1fn', '--acc', '12', '--acc-round', 'rne', '--overflow', 'sat', '--pipeline', '2', '--lanes', '3'];
    await gen([...args, '--out', o1]);
    // Same flags in the opposite order.
    const pairs = Array.from({ length: args.length / 2 }, (_, i) => args.slice(2 * i, 2 * i + 2));
    await gen([...pairs.reverse().flat(), '--out', o2]);
    const [d1] = readdirSync(o1);
    const [d2] = readdirSync(o2);
    expect(d1).toBe(d2);
    for (const f of readdirSync(join(o1, d1))) expect(readFileSync(join(o2, d2, f))).toEqual(readFileSync(join(o1, d1, f)));
  });

  it('regenerating replaces the folder atomically and leaves no temporary folder', async () => {
    const out = tmp();
    await gen(['--fmt', 'e2m1', '--name', 'u', '--out', out]);
    writeFileSync(join(out, 'u', 'stale.txt'), 'old');
    const r = await gen(['--fmt', 'e2m1', '--name', 'u', '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(out)).toEqual(['u']);
    expect(existsSync(join(out, 'u', 'stale.txt'))).toBe(false);
  });

  it('--help prints usage and exits 0', async () => {
    const r = await gen(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: minimac gen --fmt FMT/);
    expect(r.stdout).toContain('--acc-round floor|rne');
  });
});

describe('bad input: one line naming the flag, exit 2, nothing written', () => {
  const table: [string[], string][] = [
    [['--fmt', 'fp8'], "error: unknown format 'fp8': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)"],
    [['--fmt', 'e0m3'], 'error: exponent bits must be 1 to 8, not 0 (--fmt)'],
    [['--fmt', 'e8m8'], 'error: format width 1+E+M must be 3 to 16 bits, not 17 (--fmt)'],
    [['--afmt', 'e1m0', '--wfmt', 'int4'], 'error: format width 1+E+M must be 3 to 16 bits, not 2 (--afmt)'],
    [['--fmt', 'e4m3', '--wfmt', 'int17'], 'error: int width must be 2 to 16, not 17 (--wfmt)'],
    [['--fmt', 'uint0'], 'error: uint width must be 1 to 16, not 0 (--fmt)'],
    [['--fmt', 'e4m3b2.5'], "error: bias must be an integer from -256 to 256, not '2.5' (--fmt)"],
    [['--afmt', 'e4m3'], 'error: the weight side has no format: give --fmt or --wfmt (--wfmt)'],
    [['--fmt', 'e4m3', '--acc', '1'], 'error: acc width must be at least 2, not 1 (--acc)'],
    [['--fmt', 'e4m3', '--acc-frac', '2.5'], "error: acc frac must be an integer, not '2.5' (--acc-frac)"],
    [['--fmt', 'e4m3', '--acc-frac', '99999'], 'error: acc frac must be within 4096 of the exact frac 18, not 99999 (--acc-frac)'],
    [['--fmt', 'e4m3', '--acc-round', 'up'], "error: acc rounding must be floor or rne, not 'up' (--acc-round)"],
    [['--fmt', 'e4m3', '--overflow', 'clip'], "error: overflow mode must be wrap or sat, not 'clip' (--overflow)"],
    [['--fmt', 'e4m3', '--lanes', '0'], 'error: lanes must be at least 1, not 0 (--lanes)'],
    [['--fmt', 'e4m3', '--pipeline', '-1'], 'error: pipeline depth must be at least 0, not -1 (--pipeline)'],
    [['--fmt', 'e4m3', '--len', '0'], 'error: len must be at least 1, not 0 (--len)'],
    [['--fmt', 'e4m3', '--clock-period', '0'], 'error: clock period must be from 0.5 to 1000 ns, not 0 (--clock-period)'],
    [['--fmt', 'e4m3', '--clock-period', '4ns'], "error: clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not '4ns' (--clock-period)"],
    // audit: blanks around the period were trimmed and accepted; numbers are plain decimals only
    [['--fmt', 'e4m3', '--clock-period', ' 5'], "error: clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not ' 5' (--clock-period)"],
    [['--fmt', 'e4m3', '--clock-period', '5\n'], "error: clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not '5\\n' (--clock-period)"],
    [['--fmt', 'e4m3', '--clock-period', '1e3'], "error: clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not '1e3' (--clock-period)"],
    [['--fmt', 'e4m3', '--clock-period', '99999999999999999999'], 'error: clock period must be from 0.5 to 1000 ns, not 99999999999999999999 (--clock-period)'],
    // issue 11: the float result
    [['--fmt', 'e4m3', '--result', 'int8'], "error: result format must be a minifloat, not the integer 'int8'; the accumulator is the integer result (--result)"],
    [['--fmt', 'e4m3', '--result', 'uint4'], "error: result format must be a minifloat, not the integer 'uint4'; the accumulator is the integer result (--result)"],
    [['--fmt', 'e4m3', '--result', 'e8m24'], 'error: result width 1+E+M must be 3 to 32 bits, not 33 (--result)'],
    [['--fmt', 'e4m3', '--result', 'e1m24'], 'error: result mantissa bits must be at most 23, not 24 (--result)'],
    [['--fmt', 'e4m3', '--result', 'e9m7'], 'error: result exponent bits must be 1 to 8, not 9 (--result)'],
    [['--fmt', 'e4m3', '--result', 'e0m7'], 'error: result exponent bits must be 1 to 8, not 0 (--result)'],
    [['--fmt', 'e4m3', '--result', 'e4m99999999999999999999'], 'error: result width 1+E+M must be 3 to 32 bits, not 1+4+99999999999999999999 (--result)'],
    [['--fmt', 'e4m3', '--result', 'e1m0'], 'error: result width 1+E+M must be 3 to 32 bits, not 2 (--result)'],
    [['--fmt', 'e4m3', '--result', 'fp64'], "error: unknown result format 'fp64': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], or fp32, bf16, fp16 or another alias (--result)"],
    [['--fmt', 'e4m3', '--result', ''], "error: unknown result format '': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], or fp32, bf16, fp16 or another alias (--result)"],
    [['--fmt', 'e4m3', '--result', 'constructor'], "error: unknown result format 'constructor': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], or fp32, bf16, fp16 or another alias (--result)"],
    [['--fmt', 'e4m3', '--result', 'bf16', '--result-overflow', 'wrap'], "error: result overflow mode must be sat or inf, not 'wrap' (--result-overflow)"],
    [['--fmt', 'e4m3', '--result', 'bf16', '--result-pipeline', '-1'], 'error: result pipeline depth must be at least 0, not -1 (--result-pipeline)'],
    [['--fmt', 'e4m3', '--result', 'bf16', '--result-pipeline', '1.5'], "error: result pipeline depth must be an integer, not '1.5' (--result-pipeline)"],
    [['--fmt', 'e4m3', '--result', 'bf16', '--result-pipeline', '99'], 'error: result pipeline depth must be at most 16, not 99 (--result-pipeline)'],
    [['--fmt', 'e4m3', '--result-overflow', 'inf'], 'error: --result-overflow needs --result (--result-overflow)'],
    [['--fmt', 'e4m3', '--result-pipeline', '1'], 'error: --result-pipeline needs --result (--result-pipeline)'],
    [['--fmt', 'e4m3', '--name', 'wire'], "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not 'wire' (--name)"],
    [['--fmt', 'e4m3', '--name', '1st'], "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not '1st' (--name)"],
    [['--fmt', 'e4m3', '--bogus', '1'], "error: unknown option '--bogus'; see --help (--bogus)"],
    [['--fmt'], 'error: option needs a value (--fmt)'],
    // issue 9: inherited properties are no options, aliases or flags
    [['--fmt', 'e4m3', '--constructor'], "error: unknown option '--constructor'; see --help (--constructor)"],
    [['--fmt', 'e4m3', '--__proto__', 'x'], "error: unknown option '--__proto__'; see --help (--__proto__)"],
    [['--fmt', 'e4m3', '--toString'], "error: unknown option '--toString'; see --help (--toString)"],
    [['--fmt', 'constructor'], "error: unknown format 'constructor': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)"],
    [['--fmt', '__proto__'], "error: unknown format '__proto__': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)"],
    // issue 9: a value with a newline is escaped, so the error stays one line
    [['--fmt', 'e4m3', '--name', 'a\nb'], "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not 'a\\nb' (--name)"],
    [['--fmt', 'e4m3', '--acc', '1\n6x'], "error: acc width must be an integer, not '1\\n6x' (--acc)"],
    [['--fmt', 'e4m3\nfoo'], "error: unknown format 'e4m3\\nfoo': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)"],
    [['--fmt', 'e4m3', '--x\ty'], "error: unknown option '--x\\ty'; see --help (--x\\ty)"],
    // issue 9: integers are read exactly (BigInt) and echoed as typed; decimal only
    [['--fmt', 'e4m3', '--len', '9007199254740993'], 'error: len must be at most 9007199254740991, not 9007199254740993 (--len)'],
    [['--fmt', 'e4m3', '--lanes', '99999999999999999999999'], 'error: lanes must be at most 1024, not 99999999999999999999999 (--lanes)'],
    [['--fmt', 'e4m3', '--acc', '0x10'], "error: acc width must be an integer, not '0x10' (--acc)"],
    [['--fmt', 'e4m3', '--acc', '1e1'], "error: acc width must be an integer, not '1e1' (--acc)"],
    [['--fmt', 'e4m3', '--acc', ' 16'], "error: acc width must be an integer, not ' 16' (--acc)"],
    [['--fmt', 'e4m3', '--acc', ''], "error: acc width must be an integer, not '' (--acc)"],
    [['--fmt', 'int99999999999999999999'], 'error: int width must be 2 to 16, not 99999999999999999999 (--fmt)'],
    [['--fmt', 'e99999999999999999999m3'], 'error: exponent bits must be 1 to 8, not 99999999999999999999 (--fmt)'],
    [['--fmt', 'e4m99999999999999999999'], 'error: mantissa bits must be at most 15, not 99999999999999999999 (--fmt)'],
    // issue 9: names whose submodules could clash with another unit's, and names too long for Verilator
    [['--fmt', 'e4m3', '--name', 'foo__lane'], "error: name must not contain '__' or end with '_', since the unit's submodules are named <name>__<part> and could then clash with another unit's, not 'foo__lane' (--name)"],
    [['--fmt', 'e4m3', '--name', 'foo_'], "error: name must not contain '__' or end with '_', since the unit's submodules are named <name>__<part> and could then clash with another unit's, not 'foo_' (--name)"],
    [['--fmt', 'e4m3', '--name', 'n'.repeat(128)], 'error: name must be at most 100 characters, not 128 (--name)'],
    [['--fmt', 'e4m3', '--name', ''], "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not '' (--name)"],
    // issue 9: a stray word is named as the argument it is
    [['--fmt', 'e4m3', 'stray'], "error: unexpected argument 'stray': every value follows its flag (--flag VALUE); see --help (argument 'stray')"],
  ];
  it.each(table)('%j', async (args, line) => {
    const out = tmp();
    const r = await gen([...args, '--out', out]);
    expect(r.stderr).toBe(line);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  // issue 9: --out values that must fail at once (never hang, never write into the working folder).
  const outTable: [string, string][] = [
    ['/proc/minimac-x', "error: cannot write into '/proc/minimac-x' (ENOENT) (--out)"],
    ['/proc/a/b/c', "error: cannot write into '/proc/a/b/c' (ENOENT) (--out)"],
    ['', 'error: folder must not be empty (give a path, such as . for the working folder) (--out)'],
    ['  ', 'error: folder must not be empty (give a path, such as . for the working folder) (--out)'],
  ];
  it.each(outTable)('--out %j', async (dir, line) => {
    const cwd = tmp();
    const r = await execa(TSX, [GEN, '--fmt', 'e4m3', '--out', dir], { reject: false, cwd, env: { INIT_CWD: cwd } });
    expect(r.stderr).toBe(line);
    expect(r.exitCode).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // audit: INIT_CWD was trusted everywhere, so another package's script `cd sub && minimac gen --out o` wrote o/ in its root
  it('a relative --out is taken from the working folder when INIT_CWD belongs to another package', async () => {
    const root = tmp();
    const sub = join(root, 'sub');
    mkdirSync(sub);
    const r = await execa(TSX, [GEN, '--fmt', 'e2m1', '--acc', '8', '--name', 'u', '--out', 'o'], { reject: false, cwd: sub, env: { INIT_CWD: root } });
    expect(r.exitCode).toBe(0);
    expect(readdirSync(root)).toEqual(['sub']);
    expect(readdirSync(join(sub, 'o'))).toEqual(['u']);
  });

  it('a bad flag after a deep new --out leaves no folder behind', async () => {
    const out = tmp();
    const r = await gen(['--fmt', 'e4m3', '--acc', '1', '--out', join(out, 'a', 'b')]);
    expect(r.exitCode).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an unwritable --out', async () => {
    const r = await gen(['--fmt', 'e4m3', '--out', '/dev/null/units']);
    expect(r.stderr).toBe("error: cannot write into '/dev/null/units' (ENOTDIR) (--out)");
    expect(r.exitCode).toBe(2);
  });

  it('through npm run, stderr holds just the one line', async () => {
    const r = await execa('npm', ['run', 'gen', '--', '--fmt', 'e4m3', '--acc', '1'], { reject: false, cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('error: acc width must be at least 2, not 1 (--acc)');
  });
});
