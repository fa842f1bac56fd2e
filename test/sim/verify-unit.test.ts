/**
 * `minimac verify --unit DIR` through the real binary: a generated folder passes, a hand-written
 * manifest with only the contract fields passes, a planted bug in the .v fails with mismatches,
 * bad input is one exact line naming the flag, and --json works with it.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyJson } from '../../sim/verify.ts';
import { MINIMAC, ROOT, removeTempDirs, requireTool, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const NAME = 'minimac_e2m1_x_int4_acc8_frac_1_floor_sat_p1_l2';
const GEN = ['--afmt', 'e2m1', '--wfmt', 'int4', '--lanes', '2', '--pipeline', '1', '--acc', '8', '--overflow', 'sat'];
const verify = (args: string[]) => execa('node', [MINIMAC, 'verify', ...args], { reject: false, cwd: ROOT });

let root = '';
let unit = '';
let manifest: Record<string, unknown> = {};
let verilog = '';

/** A folder holding the generated .v and `json` (an object, or raw text) as `<file>`. */
function unitFolder(label: string, json: unknown, file = `${NAME}.json`): string {
  const dir = join(root, label);
  mkdirSync(dir);
  writeFileSync(join(dir, `${NAME}.v`), verilog);
  writeFileSync(join(dir, file), typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  return dir;
}

/** The generated manifest with only the contract fields minimac's verify reads (CONTRACT §3). */
function contractOnly(): Record<string, unknown> {
  const m = structuredClone(manifest) as Record<string, Record<string, unknown>>;
  return {
    top: m.top,
    activation: { spec: m.activation.spec },
    weight: { spec: m.weight.spec },
    accumulator: m.accumulator,
    pipeline: m.pipeline,
    latency: m.latency,
    lanes: m.lanes,
    ports: m.ports,
  };
}

/** The contract-only manifest with one change: `path` set to `v` (undefined deletes it). */
function edited(path: string, v: unknown): Record<string, unknown> {
  const m = contractOnly();
  const parts = path.split('.');
  let o = m as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) o = o[p] as Record<string, unknown>;
  if (v === undefined) delete o[parts.at(-1)!];
  else o[parts.at(-1)!] = v;
  return m;
}

beforeAll(async () => {
  requireTool('verilator');
  requireTool('iverilog');
  root = tempDir('minimac-verify-unit-');
  const g = await execa('node', [MINIMAC, 'gen', ...GEN, '--out', root], { cwd: ROOT });
  expect(g.exitCode).toBe(0);
  unit = join(root, NAME);
  manifest = JSON.parse(readFileSync(join(unit, `${NAME}.json`), 'utf8')) as Record<string, unknown>;
  verilog = readFileSync(join(unit, `${NAME}.v`), 'utf8');
});

describe('minimac verify --unit DIR', () => {
  it('a generated unit folder passes in both simulators, exit 0', async () => {
    const r = await verify(['--unit', unit, '--sim', 'both', '--beats', '5000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^PASS ${NAME}: 65536 \\(all\\) pairs, \\d+ beats, \\d+ cycles in verilator \\+ iverilog \\(seed 1\\)$`));
  });

  it('a hand-written manifest with only the contract fields (no request, datapath, files) passes', async () => {
    // Not named after the folder: the folder's only .json is its manifest.
    const dir = unitFolder('hand', contractOnly(), 'unit.json');
    expect(readdirSync(dir).sort()).toEqual([`${NAME}.v`, 'unit.json']);
    const r = await verify(['--unit', dir, '--sim', 'both', '--beats', '5000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^PASS ${NAME}: `));
  });

  it('a planted bug (saturation bounds swapped by hand in the .v) fails with mismatches, exit 1', async () => {
    const dir = join(root, 'planted');
    mkdirSync(dir);
    const good = "((total[9]) ? {1'd1, 7'd0} : {1'd0, {7{1'd1}}})";
    expect(verilog).toContain(good);
    writeFileSync(join(dir, `${NAME}.v`), verilog.replace(good, "((total[9]) ? {1'd0, {7{1'd1}}} : {1'd1, 7'd0})"));
    copyFileSync(join(unit, `${NAME}.json`), join(dir, `${NAME}.json`));
    const r = await verify(['--unit', dir, '--beats', '5000']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^FAIL ${NAME}: `));
    expect(r.stdout).toMatch(/^verilator: \d+\+? mismatching cycle\(s\)$/m);
    // Saturating the wrong way: +max expected, -max got (or the reverse).
    expect(r.stdout).toMatch(/expected acc=0b01111111 \(63\.5\) ovf=1\n {2}got {6}acc=0b10000000 \(-64\) ovf=1|expected acc=0b10000000 \(-64\) ovf=1\n {2}got {6}acc=0b01111111 \(63\.5\) ovf=1/);
    expect(r.stdout).toContain(`reproduce: npm run verify -- --unit ${dir} --seed 1`);
  });

  it('the lint gate runs on the given Verilog: an unused wire fails it (exit 1), --no-lint skips it and the unit passes', async () => {
    const dir = join(root, 'unlinted');
    mkdirSync(dir);
    const at = verilog.indexOf('endmodule');
    writeFileSync(join(dir, `${NAME}.v`), `${verilog.slice(0, at)}    wire spare = 1'b0;\n${verilog.slice(at)}`);
    writeFileSync(join(dir, 'unit.json'), JSON.stringify(contractOnly()));
    const gated = await verify(['--unit', dir, '--beats', '2000']);
    expect(gated.exitCode).toBe(1);
    expect(gated.stdout).toMatch(new RegExp(`^FAIL ${NAME}: lint gate\\n`));
    expect(gated.stdout).toContain('UNUSED');
    const skipped = await verify(['--unit', dir, '--beats', '2000', '--no-lint']);
    expect(skipped.stderr).toBe('');
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).toMatch(new RegExp(`^PASS ${NAME}: `));
  });

  it('the Verilog is the files entry named after top, in a subfolder too', async () => {
    const dir = join(root, 'sub');
    mkdirSync(join(dir, 'rtl'), { recursive: true });
    writeFileSync(join(dir, 'rtl', `${NAME}.v`), verilog);
    writeFileSync(join(dir, 'unit.json'), JSON.stringify({ ...contractOnly(), files: ['notes.txt', `rtl/${NAME}.v`] }));
    const r = await verify(['--unit', dir, '--beats', '2000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^PASS ${NAME}: `));
  });

  it('--json works with --unit', async () => {
    const r = await verify(['--unit', unit, '--beats', '2000', '--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as VerifyJson;
    expect(j).toMatchObject({ unit: NAME, result: 'PASS', seed: 1, mismatches: [], vcd: null, reproduce: null });
    expect(j.counts).toMatchObject({ pairs: 65536, exhaustive: true });
  });

  const E = (rule: string) => `error: ${rule} (--unit)`;
  const BAD: [string, () => string[], string | (() => string)][] = [
    ['with a gen flag', () => ['--unit', unit, '--fmt', 'e4m3'], "error: --unit takes the configuration from the unit's manifest: --fmt cannot go with it (--fmt)"],
    ['with --name', () => ['--name', 'x', '--unit', unit], "error: --unit takes the configuration from the unit's manifest: --name cannot go with it (--name)"],
    ['with --acc', () => ['--unit', unit, '--acc', '8'], "error: --unit takes the configuration from the unit's manifest: --acc cannot go with it (--acc)"],
    ['no such folder', () => ['--unit', join(root, 'nope')], () => E(`unit folder '${join(root, 'nope')}' does not exist or is not a folder`)],
    ['an empty path', () => ['--unit', ''], E("unit folder '' does not exist or is not a folder")],
    ['a file, not a folder', () => ['--unit', join(unit, `${NAME}.v`)], () => E(`unit folder '${join(unit, `${NAME}.v`)}' does not exist or is not a folder`)],
    ['no manifest', () => { const d = join(root, 'empty'); mkdirSync(d); return ['--unit', d]; }, () => E(`unit folder '${join(root, 'empty')}' has no manifest: no .json file (expected <name>.json)`)],
    ['not JSON', () => ['--unit', unitFolder('notjson', '{"top": ')], E(`manifest '${NAME}.json' is not JSON`)],
    ['not an object', () => ['--unit', unitFolder('array', [1, 2])], E(`manifest '${NAME}.json' must be a JSON object`)],
    ['width as a string', () => ['--unit', unitFolder('w-str', edited('accumulator.width', '16'))], E('manifest field accumulator.width must be an integer, not "16"')],
    ['width not whole', () => ['--unit', unitFolder('w-frac', edited('accumulator.width', 8.5))], E('manifest field accumulator.width must be an integer, not 8.5')],
    ['width out of range', () => ['--unit', unitFolder('w-1', edited('accumulator.width', 1))], E('manifest field accumulator.width: acc width must be at least 2, not 1')],
    ['no accumulator.frac', () => ['--unit', unitFolder('no-frac', edited('accumulator.frac', undefined))], E('manifest lacks the contract field accumulator.frac')],
    ['no accumulator', () => ['--unit', unitFolder('no-acc', edited('accumulator', undefined))], E('manifest lacks the contract field accumulator')],
    ['accumulator not an object', () => ['--unit', unitFolder('acc-num', edited('accumulator', 8))], E('manifest field accumulator must be an object, not 8')],
    ['no top', () => ['--unit', unitFolder('no-top', edited('top', undefined))], E('manifest lacks the contract field top')],
    ['unknown activation format', () => ['--unit', unitFolder('e9m3', edited('activation.spec', 'e9m3'))], E('manifest field activation.spec: exponent bits must be 1 to 8, not 9')],
    ['weight spec not a string', () => ['--unit', unitFolder('w-null', edited('weight.spec', null))], E('manifest field weight.spec must be a string, not null')],
    ['bad rounding', () => ['--unit', unitFolder('round', edited('accumulator.round', 'up'))], E("manifest field accumulator.round: acc rounding must be floor or rne, not 'up'")],
    ['bad overflow', () => ['--unit', unitFolder('ovf', edited('accumulator.overflow', 'clamp'))], E("manifest field accumulator.overflow: overflow mode must be wrap or sat, not 'clamp'")],
    ['lanes 0', () => ['--unit', unitFolder('lanes0', edited('lanes', 0))], E('manifest field lanes: lanes must be at least 1, not 0')],
    ['pipeline as a string', () => ['--unit', unitFolder('p-str', edited('pipeline', '1'))], E('manifest field pipeline must be an integer, not "1"')],
    ['wrong latency', () => ['--unit', unitFolder('lat', edited('latency', 1))], E('manifest field latency must be 2 (pipeline 1 + 1), not 1')],
    ['ports not an array', () => ['--unit', unitFolder('ports-obj', edited('ports', {}))], E('manifest field ports must be an array, not {}')],
    ['a port missing', () => ['--unit', unitFolder('ports-short', edited('ports', (manifest.ports as { name: string }[]).filter((p) => p.name !== 'ovf')))], E('manifest field ports lacks ovf (out, width 1)')],
    ['a wrong width', () => ['--unit', unitFolder('ports-w', edited('ports', (manifest.ports as { name: string }[]).map((p) => (p.name === 'acc' ? { ...p, width: 16 } : p))))], E('manifest field ports: acc must be out with width 8, not out with width 16')],
    ['a port of no such name', () => ['--unit', unitFolder('ports-x', edited('ports', [...(manifest.ports as object[]), { name: 'nan', dir: 'out', width: 1 }]))], E("manifest field ports: 'nan' is not a port of this configuration")],
    ['files not an array of strings', () => ['--unit', unitFolder('files-num', { ...contractOnly(), files: [1] })], E('manifest field files must be an array of strings, not [1]')],
    ['no Verilog named after top', () => ['--unit', unitFolder('top-x', edited('top', 'other'))], () => E(`unit folder '${join(root, 'top-x')}' has no Verilog file 'other.v' (named after top)`)],
  ];
  it.each(BAD)('bad input: %s', async (_label, args, line) => {
    const r = await verify(args());
    expect(r.stderr).toBe(typeof line === 'string' ? line : line());
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--help names --unit and gives an example', async () => {
    const r = await verify(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--unit DIR +check an existing unit folder/m);
    expect(r.stdout).toContain('minimac verify --unit rtl-out/');
  });
});

describe('minimac verify --unit DIR with a float result (issue 11)', () => {
  const RGEN = ['--fmt', 'e2m1', '--acc', '8', '--result', 'e2m3', '--result-overflow', 'inf', '--result-pipeline', '1'];
  const RNAME = 'minimac_e2m1_x_e2m1_acc8_frac_1_floor_wrap_p0_l1_re2m3_inf_q1';
  let rdir = '';
  let rman: Record<string, Record<string, unknown>> = {};
  let rv = '';
  beforeAll(async () => {
    const out = join(root, 'with-result');
    const g = await execa('node', [MINIMAC, 'gen', ...RGEN, '--out', out], { cwd: ROOT });
    expect(g.exitCode).toBe(0);
    rdir = join(out, RNAME);
    rman = JSON.parse(readFileSync(join(rdir, `${RNAME}.json`), 'utf8')) as typeof rman;
    rv = readFileSync(join(rdir, `${RNAME}.v`), 'utf8');
  });

  /** A folder with the result unit's .v and a manifest whose result object has `patch` applied. */
  const resultFolder = (label: string, patch: Record<string, unknown>): string => {
    const dir = join(root, label);
    mkdirSync(dir);
    writeFileSync(join(dir, `${RNAME}.v`), rv);
    writeFileSync(join(dir, `${RNAME}.json`), JSON.stringify({ ...rman, result: { ...rman.result, ...patch } }));
    return dir;
  };

  it('passes in both simulators, res compared on every cycle', async () => {
    const r = await verify(['--unit', rdir, '--sim', 'both', '--beats', '3000']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^PASS ${RNAME}: 256 \\(all\\) pairs, .*res checked every cycle`));
  });

  it.each([
    ['an integer result', { spec: 'int8' }, "manifest field result.spec: result format must be a minifloat, not the integer 'int8'; the accumulator is the integer result"],
    ['a bad mode', { overflow: 'wrap' }, "manifest field result.overflow: result overflow mode must be sat or inf, not 'wrap'"],
    ['a wrong result latency', { latency: 2 }, 'manifest field result.latency must be 3 (pipeline 0 + 2 + result pipeline 1), not 2'],
    ['a result pipeline as text', { pipeline: '1' }, 'manifest field result.pipeline must be an integer, not "1"'],
  ])('%s is bad input', async (label, patch, msg) => {
    const r = await verify(['--unit', resultFolder(`r-${label.replace(/ /g, '-')}`, patch)]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${msg} (--unit)`);
    expect(r.exitCode).toBe(2);
  });
});
