/**
 * The drop-in files: the Vivado Tcl (project and non-project) and the XDC run in tclsh against
 * stub Vivado commands; the FuseSoC core parses as CAPI2 and its lint target passes Verilator;
 * the instantiation template compiles in Icarus and Verilator; `--clock-period` reaches the XDC.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MacConfig, type MacRequest } from '../../../generators/config/mac-config.ts';
import { GENERATOR, generateUnit, type Manifest } from '../../../generators/generate.ts';
import { UNIT_FLAGS, unitRequest } from '../../../generators/cli/args.ts';
import { removeTempDirs, requireTool, tempDir } from '../../support/tools.ts';

afterAll(removeTempDirs);

const STUBS = new URL('./vivado-stubs.tcl', import.meta.url).pathname;

/** Units with every port shape: one lane, lanes + pipeline under a name holding `$`, flags, a slow clock. */
const UNITS: [string, MacRequest][] = [
  ['e4m3', { fmt: 'e4m3', acc: 16 }],
  ['u$b lanes', { afmt: 'e2m1', wfmt: 'int4', acc: 8, pipeline: 2, lanes: 2, name: 'u$b' }],
  ['flags', { fmt: 'float8_e5m2', acc: 24, accRound: 'rne' }],
  ['$ name, 3.333 ns', { fmt: 'int4', name: 'mac$2$', clockPeriod: '3.333' }],
];

/** Write a unit into `parent/<name>/`; the folder's real path (tclsh normalizes through symlinks). */
function writeUnit(parent: string, req: MacRequest): { dir: string; cfg: MacConfig; manifest: Manifest } {
  const cfg = new MacConfig(req);
  const { files, manifest } = generateUnit(cfg);
  const dir = join(parent, cfg.name);
  mkdirSync(dir, { recursive: true });
  for (const [f, t] of files) writeFileSync(join(dir, f), t);
  return { dir: realpathSync(dir), cfg, manifest };
}

/** A folder whose path holds a space, `$`, `[` and `"`: the Tcl must not substitute or split it. */
function awkwardDir(): string {
  const d = join(tempDir('minimac-dropin-'), 'my units $HOME [pwd] "q"');
  mkdirSync(d);
  return d;
}

/** Source `script` (relative to `cwd`) in tclsh with the stubs; the recorded calls, one array each. */
async function runStubbed(cwd: string, script: string, times = 1): Promise<string[][]> {
  const r = await execa('tclsh', [STUBS, script, String(times)], { cwd, reject: false });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout === '' ? [] : r.stdout.split('\n').map((l) => l.split('\t'));
}

const portPattern = (p: { name: string; width: number }) => `port:${p.width > 1 ? `${p.name}[*]` : p.name}`;

describe('Vivado Tcl in tclsh, with stub Vivado commands', () => {
  it('the stubs catch a leaked global and proc (the check has teeth)', async () => {
    const d = tempDir('minimac-leak-');
    writeFileSync(join(d, 'leak.tcl'), 'set minimac_dir [file dirname [info script]]\nproc helper {} {}\n');
    expect(await runStubbed(d, 'leak.tcl')).toEqual([['GLOBAL', 'minimac_dir'], ['PROC', '::helper']]);
  });

  it.each(UNITS)('%s: <name>.tcl adds the Verilog and the OOC-only XDC by absolute path, leaving nothing behind', async (_, req) => {
    requireTool('tclsh');
    const parent = awkwardDir();
    const { dir, cfg } = writeUnit(parent, req);
    // Sourced by a relative path from the parent folder: [info script] must be normalized.
    const calls = await runStubbed(parent, `${cfg.name}/${cfg.name}.tcl`);
    const v = join(dir, `${cfg.name}.v`);
    const x = join(dir, `${cfg.name}_ooc.xdc`);
    expect(calls).toEqual([
      ['add_files', 'sources_1', '1', v],
      ['add_files', 'constrs_1', '1', x],
      ['set_property', 'USED_IN', 'synthesis implementation out_of_context', x],
    ]);
  });

  it('<name>.tcl sourced again (after regenerating) skips the files already added and marks the XDC again', async () => {
    requireTool('tclsh');
    const parent = awkwardDir();
    const { dir, cfg } = writeUnit(parent, UNITS[1][1]);
    const calls = await runStubbed(parent, `${cfg.name}/${cfg.name}.tcl`, 2);
    const x = join(dir, `${cfg.name}_ooc.xdc`);
    expect(calls.slice(3)).toEqual([
      ['WARNING', 'already-in-project', join(dir, `${cfg.name}.v`)],
      ['WARNING', 'already-in-project', x],
      ['set_property', 'USED_IN', 'synthesis implementation out_of_context', x],
    ]);
  });

  it.each(UNITS)('%s: <name>_read.tcl reads the Verilog and the XDC in out-of-context mode', async (_, req) => {
    requireTool('tclsh');
    const parent = awkwardDir();
    const { dir, cfg } = writeUnit(parent, req);
    const calls = await runStubbed(parent, `${cfg.name}/${cfg.name}_read.tcl`);
    expect(calls).toEqual([
      ['read_verilog', join(dir, `${cfg.name}.v`)],
      ['read_xdc', 'out_of_context', join(dir, `${cfg.name}_ooc.xdc`)],
    ]);
  });

  it('<name>_ooc.tcl (for the FuseSoC synth target) puts the synthesis run out of context', async () => {
    requireTool('tclsh');
    const parent = awkwardDir();
    const { cfg } = writeUnit(parent, UNITS[1][1]);
    expect(await runStubbed(parent, `${cfg.name}/${cfg.name}_ooc.tcl`)).toEqual([
      ['set_property', 'STEPS.SYNTH_DESIGN.ARGS.MORE OPTIONS', '-mode out_of_context', 'run:synth_1'],
    ]);
  });

  it.each(UNITS)('%s: the XDC sets the clock and constrains every other port against it', async (_, req) => {
    requireTool('tclsh');
    const parent = awkwardDir();
    const { cfg, manifest } = writeUnit(parent, req);
    const calls = await runStubbed(parent, `${cfg.name}/${cfg.name}_ooc.xdc`);
    const period = (cfg.clockPeriodPs / 1000).toFixed(3);
    const delay = manifest.clock.inputDelay.toFixed(3);
    expect(manifest.clock.period).toBe(req.clockPeriod === undefined ? 2.5 : Number(req.clockPeriod));
    expect(manifest.clock.inputDelay).toBeCloseTo(manifest.clock.period * 0.2, 3);
    const ins = manifest.ports.filter((p) => p.dir === 'in' && p.name !== 'clk');
    const outs = manifest.ports.filter((p) => p.dir === 'out');
    expect(calls).toEqual([
      ['create_clock', period, 'clk', 'port:clk'],
      ...ins.map((p) => ['set_input_delay', 'clock:clk', delay, portPattern(p)]),
      ...outs.map((p) => ['set_output_delay', 'clock:clk', delay, portPattern(p)]),
    ]);
    // Every port is constrained: the clock, then each input and output exactly once.
    expect(calls.map((c) => c[3]).sort()).toEqual(manifest.ports.map(portPattern).sort());
  });
});

/** The keys FuseSoC's CAPI2 schema allows at each level (it has additionalProperties: false). */
const CAPI2_KEYS = {
  core: ['name', 'description', 'provider', 'filesets', 'generate', 'generators', 'scripts', 'targets', 'parameters', 'vpi', 'virtual'],
  fileset: ['file_type', 'logical_name', 'tags', 'files', 'depend'],
  target: ['default_tool', 'description', 'flow', 'flow_options', 'hooks', 'tools', 'toplevel', 'filesets', 'filters', 'generate', 'parameters', 'vpi', 'flags'],
};

describe('the FuseSoC core', () => {
  it.each(UNITS)('%s: parses as CAPI2 with the documented fields and types', (_, req) => {
    const { dir, cfg, manifest } = writeUnit(tempDir('minimac-core-'), req);
    const text = readFileSync(join(dir, `${cfg.name}.core`), 'utf8');
    expect(text.split('\n')[0]).toBe('CAPI=2:');
    const core = parseYaml(text) as Record<string, any>;
    // The header line reads as YAML too: a key 'CAPI=2' with no value.
    expect(core['CAPI=2']).toBeNull();
    delete core['CAPI=2'];
    // VLNV: vendor:library:name:version, four non-empty fields.
    expect(core.name).toBe(`minimac:mac:${cfg.name}:${GENERATOR.version}`);
    expect(core.name.split(':')).toHaveLength(4);
    expect(typeof core.description).toBe('string');
    for (const k of Object.keys(core)) expect(CAPI2_KEYS.core).toContain(k);
    for (const fs of Object.values<any>(core.filesets)) for (const k of Object.keys(fs)) expect(CAPI2_KEYS.fileset).toContain(k);
    for (const t of Object.values<any>(core.targets)) {
      for (const k of Object.keys(t)) expect(CAPI2_KEYS.target).toContain(k);
      if (t.description !== undefined) expect(typeof t.description).toBe('string');
      // tools: { <tool>: { <option>: string | number | boolean | array | object } }
      for (const opts of Object.values<any>(t.tools ?? {})) {
        expect(typeof opts).toBe('object');
        for (const v of Object.values(opts)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof v);
      }
    }
    const fileTypes: Record<string, string> = {};
    for (const [fsName, fs] of Object.entries<any>(core.filesets)) {
      expect(Array.isArray(fs.files)).toBe(true);
      expect(typeof fs.file_type).toBe('string');
      for (const f of fs.files) {
        expect(typeof f).toBe('string');
        expect(existsSync(join(dir, f))).toBe(true);
        expect(manifest.files).toContain(f);
        fileTypes[f] = fs.file_type;
      }
      expect(fsName).toMatch(/^\w+$/);
    }
    expect(fileTypes).toEqual({ [`${cfg.name}.v`]: 'verilogSource', [`${cfg.name}_ooc.xdc`]: 'xdc', [`${cfg.name}_ooc.tcl`]: 'tclSource' });
    expect(Object.keys(core.targets).sort()).toEqual(['default', 'lint', 'synth']);
    for (const t of Object.values<any>(core.targets)) {
      expect(Array.isArray(t.filesets)).toBe(true);
      for (const fs of t.filesets) expect(core.filesets).toHaveProperty(fs);
      expect(t.toplevel).toBe(manifest.top);
      if (t.default_tool !== undefined) expect(Object.keys(t.tools)).toEqual([t.default_tool]);
    }
    expect(core.targets.default.filesets).toEqual(['rtl']);
    // synth: Vivado synthesis only (edalize's vivado tool: pnr none stops after synthesis),
    // out of context through the tclSource, with the XDC.
    const synth = core.targets.synth;
    expect(synth.default_tool).toBe('vivado');
    expect(synth.tools.vivado).toEqual({ part: expect.any(String), synth: 'vivado', pnr: 'none' });
    expect(synth.filesets.flatMap((fs: string) => core.filesets[fs].files).sort()).toEqual(
      [`${cfg.name}.v`, `${cfg.name}_ooc.tcl`, `${cfg.name}_ooc.xdc`].sort(),
    );
    expect(core.targets.lint.tools.verilator.mode).toBe('lint-only');
  });

  it('an --arch unit\'s core: synth on a part of its family, no Verilator lint target (the primitives have no models there)', () => {
    for (const [arch, part] of [['xc7', 'xc7a35ticsg324-1L'], ['xcup', 'xczu3eg-sbva484-1-e']] as const) {
      const { dir, cfg } = writeUnit(tempDir('minimac-core-'), { fmt: 'e2m1', arch });
      const core = parseYaml(readFileSync(join(dir, `${cfg.name}.core`), 'utf8'), { version: '1.1' }) as Record<string, any>;
      expect(Object.keys(core.targets).sort()).toEqual(['default', 'synth']);
      expect(core.targets.synth.tools.vivado.part).toBe(part);
    }
  });

  it('quotes its strings, so a name such as on, yes or true stays a string in YAML 1.1 (PyYAML)', () => {
    for (const name of ['on', 'yes', 'true', 'off']) {
      const { dir } = writeUnit(tempDir('minimac-core-'), { fmt: 'e2m1', name });
      const text = readFileSync(join(dir, `${name}.core`), 'utf8');
      const core = parseYaml(text, { version: '1.1' }) as Record<string, any>;
      expect(Object.values<any>(core.targets).map((t) => t.toplevel)).toEqual([name, name, name]);
      expect(core.filesets.rtl.files).toEqual([`${name}.v`]);
    }
  });

  it.each(UNITS)("%s: the lint target's Verilator command passes with no warnings", async (_, req) => {
    requireTool('verilator');
    const { dir, cfg } = writeUnit(tempDir('minimac-lint-'), req);
    const core = parseYaml(readFileSync(join(dir, `${cfg.name}.core`), 'utf8')) as Record<string, any>;
    const lint = core.targets.lint;
    const files = lint.filesets.flatMap((fs: string) => core.filesets[fs].files);
    const args = [`--${lint.tools.verilator.mode}`, '-Wall', ...lint.tools.verilator.verilator_options, ...files, '--top-module', lint.toplevel];
    const r = await execa('verilator', args, { cwd: dir, reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(0);
  });
});

describe('the instantiation template <name>_inst.vh', () => {
  /** A module with a same-named wire (port) for every port of the unit, including the template. */
  function wrapper(cfg: MacConfig, manifest: Manifest): string {
    const decl = manifest.ports.map((p) => `    ${p.dir === 'in' ? 'input ' : 'output'} wire ${p.width > 1 ? `[${p.width - 1}:0] ` : ''}${p.name}`);
    return `\`timescale 1ns / 1ps\n\`default_nettype none\nmodule wrap (\n${decl.join(',\n')}\n);\n\`include "${cfg.name}_inst.vh"\nendmodule\n\`default_nettype wire\n`;
  }

  it.each(UNITS)('%s: compiles with the unit in iverilog -g2001 and verilator --lint-only -Wall', async (_, req) => {
    requireTool('iverilog');
    requireTool('verilator');
    const { dir, cfg, manifest } = writeUnit(tempDir('minimac-inst-'), req);
    writeFileSync(join(dir, 'wrap.v'), wrapper(cfg, manifest));
    const unit = `${cfg.name}.v`;
    const iv = await execa('iverilog', ['-g2001', '-Wall', '-I.', '-s', 'wrap', '-o', 'a.out', 'wrap.v', unit], { cwd: dir, reject: false });
    expect(iv.stderr).toBe('');
    expect(iv.exitCode).toBe(0);
    const vl = await execa('verilator', ['--lint-only', '-Wall', '-I.', 'wrap.v', unit, '--top-module', 'wrap'], { cwd: dir, reject: false });
    expect(vl.stderr).toBe('');
    expect(vl.exitCode).toBe(0);
  });

  it('lists every port with its width, and the latency and lanes', () => {
    const cfg = new MacConfig(UNITS[1][1]);
    const { files, manifest } = generateUnit(cfg);
    for (const file of [`${cfg.name}_inst.vh`, `${cfg.name}.v`]) {
      const text = files.get(file)!;
      for (const p of manifest.ports) expect(text).toMatch(new RegExp(`^//   ${p.name.padEnd(4)}  ${p.dir.padEnd(3)}  +${p.width}  \\S`, 'm'));
      expect(text).toContain('// Latency: 3 cycles (pipeline 2 + the accumulator register): a beat sampled at edge k is in acc and the flags after edge k + 2, seen 3 cycles after it was presented.');
      expect(text).toContain('// Lanes: 2 per beat; lane i of a is a[i*4 +: 4], of w is w[i*4 +: 4].');
    }
  });
});

describe('--clock-period', () => {
  it('is a unit flag every unit command shares, carried into the MacRequest', () => {
    expect(UNIT_FLAGS['clock-period']).toMatchObject({ value: true, arg: 'NS' });
    expect(unitRequest({ fmt: 'e4m3', 'clock-period': '4' }).clockPeriod).toBe('4');
  });

  it('is in the canonical request and the manifest clock; it changes only the XDC and, off the default, the name', () => {
    const base = generateUnit(new MacConfig({ fmt: 'e4m3', acc: 16 }));
    const same = generateUnit(new MacConfig({ fmt: 'e4m3', acc: 16, clockPeriod: '2.500' }));
    expect([...same.files]).toEqual([...base.files]);
    expect(base.manifest.request.clockPeriod).toBe(2.5);
    const slow = new MacConfig({ fmt: 'e4m3', acc: 16, clockPeriod: '10' });
    expect(slow.name).toBe(`${base.manifest.name}_clk10ns`);
    const u = generateUnit(slow);
    expect(u.manifest.request.clockPeriod).toBe(10);
    expect(u.manifest.clock).toEqual({ port: 'clk', period: 10, inputDelay: 2, outputDelay: 2 });
    expect(u.files.get(`${slow.name}_ooc.xdc`)).toContain('create_clock -period 10.000 -name clk [get_ports clk]');
    // Under one --name the Verilog is the same whatever the period; only the XDC and the manifest differ.
    const n1 = generateUnit(new MacConfig({ fmt: 'e4m3', acc: 16, name: 'm' })).files;
    const n2 = generateUnit(new MacConfig({ fmt: 'e4m3', acc: 16, name: 'm', clockPeriod: '10' })).files;
    const differ = [...n1.keys()].filter((f) => n1.get(f) !== n2.get(f));
    expect(differ).toEqual(['m.json', 'm_ooc.xdc']);
  });
});
