/**
 * The lint gate every generated unit must pass: Verilator `--lint-only -Wall` with zero
 * warnings, Icarus `-g2001`, and Yosys `hierarchy -check`, `proc`, `check -assert` (no
 * latches, no multiple drivers, no undriven wires). A clean result is remembered in the cache
 * by a hash of the RTL and the tool versions.
 */
import { runTool } from '../generators/util/deadline.ts';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runYosysScript, yosysVersion } from '../generators/util/yosys.ts';
import { CACHE_ROOT, cachedDir, hashParts } from './cache.ts';
import { requireSimulator } from './tools.ts';
import { preparedLibrary, primitiveModelsOf } from './netlist.ts';
import { NETLIST_VLT } from './verilator.ts';

/** What each linter said; `clean` when all three were silent. */
export interface LintResult {
  readonly clean: boolean;
  /** Problems, one entry per tool that complained, with its output. */
  readonly problems: readonly string[];
  readonly cached: boolean;
}

/** A unit to lint: its top module and Verilog. */
export interface LintInput {
  readonly top: string;
  readonly verilog: string;
}

/**
 * Lint several units. Yosys (WebAssembly, ~2 s to start) runs once over every unit not yet
 * known clean; only when that batch fails is each unit re-run alone to say which one.
 */
export async function lintUnits(units: readonly LintInput[]): Promise<LintResult[]> {
  const versions = [await requireSimulator('verilator'), await requireSimulator('iverilog'), await yosysVersion()];
  const keys = units.map((u) => hashParts([u.verilog, u.top, ...versions]));
  const todo = units.map((_, i) => i).filter((i) => !existsSync(join(CACHE_ROOT, 'lint', keys[i])));
  const problems = new Map<number, string[]>(todo.map((i) => [i, []]));
  for (const i of todo) problems.get(i)!.push(...(await simulatorLint(units[i])));
  if (todo.length) {
    const batch = await yosysLint(todo.map((i) => units[i]));
    if (batch) {
      if (todo.length === 1) problems.get(todo[0])!.push(batch);
      else for (const i of todo) {
        const alone = await yosysLint([units[i]]);
        if (alone) problems.get(i)!.push(alone);
      }
    }
  }
  for (const i of todo) {
    // Remember only clean units, so a failing one is linted again next time.
    if (problems.get(i)!.length === 0) await cachedDir('lint', keys[i], async () => {});
  }
  return units.map((_, i) => ({ clean: (problems.get(i) ?? []).length === 0, problems: problems.get(i) ?? [], cached: !problems.has(i) }));
}

/** Run the three linters on one unit (top module `top`). */
export async function lintUnit(top: string, verilog: string): Promise<LintResult> {
  return (await lintUnits([{ top, verilog }]))[0];
}

async function yosysLint(units: readonly LintInput[]): Promise<string | null> {
  const inputs: Record<string, string> = {};
  // An --arch unit's primitives (LUT6_2, CARRY4, CARRY8) are cells of the library, as in synthesis.
  const script: string[] = ['read_verilog -lib +/xilinx/cells_sim.v'];
  units.forEach((u, i) => {
    inputs[`u${i}.v`] = u.verilog;
    script.push(`read_verilog u${i}.v`);
  });
  // Several units in one design (their module names never clash): hierarchy checks them all.
  script.push(units.length === 1 ? `hierarchy -check -top ${units[0].top}` : 'hierarchy -check', 'proc', 'check -assert');
  const y = await runYosysScript(inputs, script.join('\n') + '\n');
  if (y.code === 0) return null;
  const lines = y.log.split('\n').filter((l) => /warning|error/i.test(l));
  return `yosys hierarchy -check / proc / check -assert:\n${lines.join('\n') || y.log.slice(-2000)}`;
}

async function simulatorLint(u: LintInput): Promise<string[]> {
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'minimac-lint-'));
  try {
    const file = join(dir, `${u.top}.v`);
    writeFileSync(file, u.verilog);
    // The models of the device primitives an --arch unit instantiates are read with it; the vendor
    // models' own warnings are turned off by file (cells.v), the unit's are not.
    const models = await primitiveModelsOf(u.verilog);
    const extra: string[] = [];
    if (models) {
      writeFileSync(join(dir, 'cells.vlt'), NETLIST_VLT);
      writeFileSync(join(dir, 'cells.v'), await preparedLibrary('verilator', models, dir));
      extra.push(join(dir, 'cells.v'));
    }
    const vlt = models ? [join(dir, 'cells.vlt')] : [];
    const v = await runTool('verilator', ['--lint-only', '-Wall', ...(models ? ['--no-timing'] : []), '--top-module', u.top, ...vlt, file, ...extra]);
    if (v.exitCode !== 0 || (v.all ?? '').trim()) problems.push(`verilator --lint-only -Wall:\n${v.all}`);
    if (models) writeFileSync(join(dir, 'cells.v'), await preparedLibrary('iverilog', models, dir));
    const i = await runTool('iverilog', ['-g2001', '-o', join(dir, 'a.out'), '-s', u.top, file, ...extra]);
    if (i.exitCode !== 0 || (i.all ?? '').trim()) problems.push(`iverilog -g2001:\n${i.all}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
