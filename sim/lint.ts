/**
 * The lint gate every generated unit must pass: Verilator `--lint-only -Wall` with zero
 * warnings, Icarus `-g2001`, and Yosys `hierarchy -check`, `proc`, `check -assert` (no
 * latches, no multiple drivers, no undriven wires). A clean result is remembered in the cache
 * by a hash of the RTL and the tool versions.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runYosysScript, yosysVersion } from '../synth/yosys.ts';
import { cachedDir, hashParts } from './cache.ts';
import { requireSimulator } from './tools.ts';

/** What each linter said; `clean` when all three were silent. */
export interface LintResult {
  readonly clean: boolean;
  /** Problems, one entry per tool that complained, with its output. */
  readonly problems: readonly string[];
  readonly cached: boolean;
}

/** Run the three linters on a unit's Verilog (top module `top`). */
export async function lintUnit(top: string, verilog: string): Promise<LintResult> {
  const versions = [await requireSimulator('verilator'), await requireSimulator('iverilog'), await yosysVersion()];
  const problems: string[] = [];
  const { hit } = await cachedDir('lint', hashParts([verilog, top, ...versions]), async () => {
    problems.push(...(await lintProblems(top, verilog)));
    // Only a clean unit is cached: throwing keeps the entry from being created.
    if (problems.length) throw new LintFailed();
  }).catch((e: unknown) => {
    if (e instanceof LintFailed) return { hit: false };
    throw e;
  });
  return { clean: problems.length === 0, problems, cached: hit };
}

class LintFailed extends Error {}

async function lintProblems(top: string, verilog: string): Promise<string[]> {
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'minimac-lint-'));
  try {
    const file = join(dir, `${top}.v`);
    writeFileSync(file, verilog);
    const v = await execa('verilator', ['--lint-only', '-Wall', '--top-module', top, file], { reject: false, all: true });
    if (v.exitCode !== 0 || (v.all ?? '').trim()) problems.push(`verilator --lint-only -Wall:\n${v.all}`);
    const i = await execa('iverilog', ['-g2001', '-o', join(dir, 'a.out'), '-s', top, file], { reject: false, all: true });
    if (i.exitCode !== 0 || (i.all ?? '').trim()) problems.push(`iverilog -g2001:\n${i.all}`);
    const y = await runYosysScript({ 'unit.v': verilog }, `read_verilog unit.v\nhierarchy -check -top ${top}\nproc\ncheck -assert\n`);
    if (y.code !== 0) problems.push(`yosys hierarchy -check / proc / check -assert:\n${y.log.split('\n').filter((l) => /warning|error/i.test(l)).join('\n') || y.log.slice(-2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
