/**
 * verify: generate a unit's stimulus from the golden model, replay it in Verilator and/or
 * Icarus, compare every output on every cycle, and explain mismatches (both operands, expected
 * and actual, in bits and values). On a Verilator mismatch, fast-check shrinks the failing
 * stretch to a short sequence and a traced build writes its VCD.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { makeDirLevels } from '../generators/util/atomic.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MacConfig } from '../generators/config/mac-config.ts';
import type { Format } from '../generators/formats/format.ts';
import type { EdgeInputs, MacState } from '../generators/golden/mac-model.ts';
import { generateVerilog } from '../generators/generate.ts';
import { CACHE_ROOT } from './cache.ts';
import { checkDeadline, nowDoing } from '../generators/util/deadline.ts';
import { runIverilog } from './iverilog.ts';
import { buildStimulus, sequenceArbitrary, withReset, type StimulusCounts, type StimulusOptions } from './stimulus.ts';
import type { Simulator } from './tools.ts';
import { expectVectors, flagsWord, packBinary, packHex, type Vectors } from './vectors.ts';
import { buildVerilator, runVerilator, type RawMismatch, type RawRun } from './verilator.ts';
import type { Netlist } from './netlist.ts';

/** How to verify a unit. */
export interface VerifyOptions extends StimulusOptions {
  /** Simulators to run (default: Verilator only). */
  readonly sims?: readonly Simulator[];
  /** The RTL to check instead of the generated one (the planted-bug test uses this). */
  readonly verilog?: string;
  /** Shrink a Verilator failure and write a VCD of it (default true). */
  readonly vcd?: boolean;
  /** The unit folder the RTL came from (`verify --unit DIR`): the reproduce command names it. */
  readonly unitDir?: string;
  /**
   * A post-synthesis netlist to simulate in place of the RTL (`verify --netlist FILE --unit DIR`),
   * with its cell models. State injection is off for it: its registers are cells, not `acc`.
   */
  readonly netlist?: Netlist;
}

/** One simulator's outcome. */
export interface SimResult {
  readonly sim: Simulator;
  readonly cycles: number;
  readonly mismatches: readonly RawMismatch[];
  /** Build time in ms (0 for a cached Verilator build; Icarus compile is counted in runMs). */
  readonly buildMs: number;
  readonly runMs: number;
  readonly cached: boolean;
}

/** The outcome of verifying one unit. */
export interface VerifyResult {
  readonly cfg: MacConfig;
  readonly seed: number;
  readonly counts: StimulusCounts;
  readonly vectors: Vectors;
  readonly results: readonly SimResult[];
  readonly pass: boolean;
  /** Time to build the stimulus and run the golden model, in ms. */
  readonly goldenMs: number;
  /** VCD of a minimal failing sequence, when one was written. */
  readonly vcd?: string;
  /** Edges in that minimal sequence. */
  readonly shrunkCycles?: number;
  /** The unit folder verified (`verify --unit DIR`), when the RTL came from one. */
  readonly unitDir?: string;
  /** The netlist simulated instead of the RTL, and the cell libraries compiled with it. */
  readonly netlist?: { readonly file: string; readonly libs: readonly string[]; readonly picked: boolean };
}

/** Verify one unit against the golden model. */
export async function verifyUnit(cfg: MacConfig, opts: VerifyOptions): Promise<VerifyResult> {
  const sims = opts.sims ?? ['verilator'];
  const nl = opts.netlist;
  const verilog = nl ? nl.verilog : (opts.verilog ?? generateVerilog(cfg));
  const t0 = performance.now();
  nowDoing(`building the stimulus and golden-model outputs of ${cfg.name}`);
  // A netlist's registers are cells (FDRE, TRELLIS_FF, …), not the `acc` the injection writes.
  const inject = nl ? false : (opts.injectStates ?? true);
  const stim = buildStimulus(cfg, { ...opts, injectStates: inject });
  const vectors = expectVectors(cfg, stim.edges);
  const goldenMs = performance.now() - t0;
  checkDeadline(); // in-process work cannot be interrupted: checked once it is done
  const results: SimResult[] = [];
  let vcd: string | undefined;
  let shrunkCycles: number | undefined;
  const work = mkdtempSync(join(tmpdir(), 'minimac-verify-'));
  try {
    const binary = packBinary(cfg, vectors);
    for (const sim of sims) {
      if (sim === 'verilator') {
        nowDoing(`building ${cfg.name} in Verilator`);
        const build = await buildVerilator(cfg, verilog, false, inject, nl);
        nowDoing(`running ${cfg.name} in Verilator`);
        const file = join(work, 'stim.bin');
        writeFileSync(file, binary);
        const t1 = performance.now();
        const run = await runVerilator(build, file);
        results.push({ sim, ...run, buildMs: build.ms, runMs: performance.now() - t1, cached: build.cached });
        if (run.mismatches.length && opts.vcd !== false) {
          const s = await shrinkFailure(cfg, verilog, vectors.edges, run, opts.seed, work, inject, nl);
          vcd = s.vcd;
          shrunkCycles = s.cycles;
        }
      } else {
        nowDoing(`running ${cfg.name} in Icarus`);
        const r = await runIverilog(cfg, verilog, packHex(cfg, binary), vectors.edges.length, inject, nl);
        results.push({ sim, cycles: r.cycles, mismatches: r.mismatches, buildMs: 0, runMs: r.ms, cached: false });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const pass = results.every((r) => r.mismatches.length === 0 && r.cycles === vectors.edges.length);
  const netlist = nl ? { file: nl.file, libs: nl.libs.map((l) => l.name), picked: nl.picked } : undefined;
  return { cfg, seed: opts.seed, counts: stim.counts, vectors, results, pass, goldenMs, vcd, shrunkCycles, unitDir: opts.unitDir, netlist };
}

/** Edges replayed when shrinking: the stretch from the last reset before the first mismatch. */
export const SHRINK_WINDOW = 400;

/**
 * Shrink a Verilator failure with fast-check: the stretch from the last reset up to the first
 * mismatch (at most SHRINK_WINDOW edges, else its end) is the example, and fast-check removes
 * and simplifies edges while the RTL still disagrees with the golden model. The result is
 * replayed on a traced build into `.cache/vcd/<name>-seed<seed>.vcd`.
 */
async function shrinkFailure(
  cfg: MacConfig,
  verilog: string,
  edges: readonly EdgeInputs[],
  run: RawRun,
  seed: number,
  work: string,
  inject: boolean,
  netlist?: Netlist,
): Promise<{ vcd: string; cycles: number }> {
  const first = run.mismatches[0].cycle;
  let start = first;
  while (start > 0 && !edges[start].rst && first - start < SHRINK_WINDOW) start--;
  const example = edges.slice(start, first + 1);
  const traced = await buildVerilator(cfg, verilog, true, inject, netlist);
  const file = join(work, 'shrink.bin');
  const fails = async (seq: readonly EdgeInputs[], vcd?: string): Promise<boolean> => {
    const v = expectVectors(cfg, withReset(seq));
    writeFileSync(file, packBinary(cfg, v));
    return (await runVerilator(traced, file, vcd)).mismatches.length > 0;
  };
  let minimal: EdgeInputs[] = withReset(example);
  if (await fails(minimal)) {
    const details = await fc.check(
      fc.asyncProperty(sequenceArbitrary(cfg, Math.max(example.length, 1)), async (seq) => !(await fails(seq))),
      { seed, numRuns: 1, examples: [[example]], interruptAfterTimeLimit: 30_000, markInterruptAsFailure: false },
    );
    if (details.counterexample) minimal = withReset(details.counterexample[0]);
  } else {
    // The stretch alone passes (the failure needs earlier history): keep the whole prefix.
    minimal = withReset(edges.slice(0, first + 1));
  }
  const dir = join(CACHE_ROOT, 'vcd');
  makeDirLevels(dir);
  const vcd = join(dir, `${cfg.name}-seed${seed}.vcd`);
  await fails(minimal, vcd);
  return { vcd, cycles: minimal.length };
}

/** A code in bits and as a value: `0b0_0111_000 (1)`. */
export function codeText(f: Format, code: number): string {
  return `0b${code.toString(2).padStart(f.bits, '0')} (${f.value(code)})`;
}

/** The accumulator (in LSBs) as a value: acc · 2^-frac, exact for doubles' range. */
function accValue(cfg: MacConfig, acc: bigint): string {
  const v = Number(acc) * 2 ** -cfg.accFrac;
  return Number.isFinite(v) ? String(v) : `${acc}·2^${-cfg.accFrac}`;
}

/** Bits of the accumulator as the port shows them (two's complement, `width` digits). */
function accBits(cfg: MacConfig, acc: bigint): string {
  return BigInt.asUintN(cfg.accWidth, acc).toString(2).padStart(cfg.accWidth, '0');
}

/** A result code in bits and as its value (NaN, ±inf, −0 shown as such). */
function resText(cfg: MacConfig, code: number): string {
  const r = cfg.result!;
  return `0b${code.toString(2).padStart(r.bits, '0')} (${Object.is(r.value(code), -0) ? '-0' : String(r.value(code))})`;
}

function flagsText(cfg: MacConfig, word: number | null, raw: string): string {
  if (word === null) return `flags=${raw} (X/Z)`;
  const names = cfg.hasFlags ? ['ovf', 'nan', 'pinf', 'ninf'] : ['ovf'];
  return names.map((n, i) => `${n}=${(word >> i) & 1}`).join(' ');
}

function edgeText(cfg: MacConfig, e: EdgeInputs): string {
  const ctrl = `rst=${+e.rst} en=${+e.en} clr=${+e.clr}`;
  if (!e.en) return `${ctrl} (idle: a, w don't-care)`;
  return `${ctrl} a=[${e.a.map((c) => codeText(cfg.a, c)).join(', ')}] w=[${e.w.map((c) => codeText(cfg.w, c)).join(', ')}]`;
}

/** A mismatch explained: the edge, the beat entering acc, expected and got in bits and values. */
export function explainMismatch(cfg: MacConfig, v: Vectors, sim: Simulator, m: RawMismatch): string {
  const c = m.cycle;
  const exp: MacState = v.expected[c];
  const lines = [`cycle ${c} (${sim}): ${edgeText(cfg, v.edges[c])}`];
  if (cfg.pipeline > 0 && c - cfg.pipeline >= 0) {
    lines.push(`  beat reaching acc now (sampled at cycle ${c - cfg.pipeline}): ${edgeText(cfg, v.edges[c - cfg.pipeline])}`);
  }
  lines.push(`  expected acc=0b${accBits(cfg, exp.acc)} (${accValue(cfg, exp.acc)}) ${flagsText(cfg, flagsWord(exp), '')}`);
  let got: string;
  if (/^[0-9a-f]+$/.test(m.accHex)) {
    const g = BigInt.asIntN(cfg.accWidth, BigInt('0x' + m.accHex));
    got = `acc=0b${accBits(cfg, g)} (${accValue(cfg, g)})`;
  } else got = `acc=0x${m.accHex} (X/Z)`;
  lines.push(`  got      ${got} ${flagsText(cfg, m.flags, m.flagsText)}`);
  if (cfg.result) {
    lines.push(`  expected res=${resText(cfg, exp.res)}`);
    lines.push(`  got      res=${m.resHex !== undefined && /^[0-9a-f]+$/.test(m.resHex) ? resText(cfg, parseInt(m.resHex, 16)) : `0x${m.resHex ?? '?'} (X/Z)`}`);
  }
  return lines.join('\n');
}

/** The report verify prints: PASS with counts, or FAIL with the first ten mismatches, seed and VCD. */
export function formatReport(r: VerifyResult): string {
  const c = r.counts;
  const sims = r.results.map((x) => x.sim).join(' + ');
  const rt = c.resultTargets;
  const what =
    `${c.pairs} ${c.exhaustive ? '(all)' : c.perLane ? `(every pair on each of ${r.cfg.lanes} lanes)` : 'random'} pairs, ${c.beats} beats, ${c.cycles} cycles` +
    (c.injected ? `, ${c.injected} accumulator states injected` : '') +
    (rt ? `, res checked every cycle with ${rt.exact}/${rt.targets} result corners reached exactly` : '');
  if (r.pass) return `PASS ${r.cfg.name}${netlistText(r)}: ${what}${injectionText(r)} in ${sims} (seed ${r.seed})\n`;
  const out = [`FAIL ${r.cfg.name}${netlistText(r)}: ${what}${injectionText(r)} (seed ${r.seed})`];
  for (const x of r.results) {
    const short = x.cycles !== r.vectors.edges.length && x.mismatches.length === 0;
    out.push(`${x.sim}: ${x.mismatches.length}${x.mismatches.length >= 20 ? '+' : ''} mismatching cycle(s)${short ? `, stopped after ${x.cycles} cycles` : ''}`);
    for (const m of x.mismatches.slice(0, 10)) out.push(explainMismatch(r.cfg, r.vectors, x.sim, m));
  }
  if (r.vcd) out.push(`VCD of a minimal failing sequence (${r.shrunkCycles} cycles): ${r.vcd}`);
  out.push(`reproduce: ${reproduceCommand(r)}`);
  return out.join('\n') + '\n';
}

/** What was simulated, for a netlist: ` (netlist FILE, cells LIB)` (`picked` when no --lib chose it); empty for RTL. */
function netlistText(r: VerifyResult): string {
  const n = r.netlist;
  if (!n) return '';
  const libs = n.libs.length ? `${n.picked ? 'cells picked' : 'cells'}: ${n.libs.join(', ')}` : 'no cell library needed';
  return ` (netlist ${n.file}, ${libs})`;
}

/** For a netlist, that no state was injected and why (its registers are cells, not `acc`). */
function injectionText(r: VerifyResult): string {
  return r.netlist ? ", no state injection (the netlist's registers are not the RTL's)" : '';
}

/** The command that replays a verify run: every configuration flag and the seed. */
function reproduceCommand(r: VerifyResult): string {
  if (r.netlist !== undefined) {
    const libs = r.netlist.picked ? '' : r.netlist.libs.map((l) => ` --lib ${l}`).join('');
    // A netlist checked without a unit folder (sweep --spot-check): the folder gen writes for it.
    const unit = r.unitDir ?? `rtl-out/${r.cfg.name}`;
    const gen = r.unitDir === undefined ? `npm run gen -- ${Object.values(requestFlags(r.cfg)).join(' ')} && ` : '';
    return `${gen}npm run verify -- --netlist ${r.netlist.file} --unit ${unit}${libs} --seed ${r.seed}`;
  }
  if (r.unitDir !== undefined) return `npm run verify -- --unit ${r.unitDir} --seed ${r.seed}`;
  return `npm run verify -- ${Object.values(requestFlags(r.cfg)).join(' ')} --seed ${r.seed}`;
}

/** What `verify --json` prints: PASS/FAIL, counts per simulator, the first mismatches (inputs, expected, got). */
export interface VerifyJson {
  readonly unit: string;
  readonly result: 'PASS' | 'FAIL';
  readonly seed: number;
  readonly counts: StimulusCounts;
  readonly sims: readonly { sim: Simulator; cycles: number; mismatches: number; cached: boolean; buildMs: number; runMs: number }[];
  readonly mismatches: readonly {
    sim: Simulator;
    cycle: number;
    inputs: { rst: boolean; en: boolean; clr: boolean; a: number[]; w: number[] };
    expected: { acc: string; value: string; flags: number; res?: number };
    got: { accHex: string; flags: number | null; flagsText: string; resHex?: string };
    text: string;
  }[];
  readonly vcd: string | null;
  readonly reproduce: string | null;
  /** For `--netlist`: the netlist and the cell libraries simulated with it (state injection is off). */
  readonly netlist?: { readonly file: string; readonly libs: readonly string[]; readonly picked: boolean };
}

/** The verify result as JSON (`--json`): the same facts as formatReport, first ten mismatches per simulator. */
export function reportJson(r: VerifyResult): VerifyJson {
  const cfg = r.cfg;
  return {
    unit: cfg.name,
    result: r.pass ? 'PASS' : 'FAIL',
    seed: r.seed,
    counts: { ...r.counts },
    sims: r.results.map((x) => ({ sim: x.sim, cycles: x.cycles, mismatches: x.mismatches.length, cached: x.cached, buildMs: Math.round(x.buildMs), runMs: Math.round(x.runMs) })),
    mismatches: r.results.flatMap((x) =>
      x.mismatches.slice(0, 10).map((m) => {
        const e = r.vectors.edges[m.cycle];
        const exp = r.vectors.expected[m.cycle];
        return {
          sim: x.sim,
          cycle: m.cycle,
          inputs: { rst: e.rst, en: e.en, clr: e.clr, a: [...e.a], w: [...e.w] },
          expected: { acc: accBits(cfg, exp.acc), value: accValue(cfg, exp.acc), flags: flagsWord(exp), ...(cfg.result ? { res: exp.res } : {}) },
          got: { accHex: m.accHex, flags: m.flags, flagsText: m.flagsText, ...(m.resHex !== undefined ? { resHex: m.resHex } : {}) },
          text: explainMismatch(cfg, r.vectors, x.sim, m),
        };
      }),
    ),
    vcd: r.vcd ?? null,
    reproduce: r.pass ? null : reproduceCommand(r),
    ...(r.netlist ? { netlist: r.netlist } : {}),
  };
}

function requestFlags(cfg: MacConfig): Record<string, string> {
  return {
    afmt: `--afmt ${cfg.a.spec}`,
    wfmt: `--wfmt ${cfg.w.spec}`,
    acc: `--acc ${cfg.accWidth}`,
    frac: `--acc-frac ${cfg.accFrac}`,
    round: `--acc-round ${cfg.accRound}`,
    ovf: `--overflow ${cfg.overflow}`,
    p: `--pipeline ${cfg.pipeline}`,
    l: `--lanes ${cfg.lanes}`,
    ...(cfg.result ? { r: `--result ${cfg.result.spec} --result-overflow ${cfg.resultOverflow} --result-pipeline ${cfg.resultPipeline}` } : {}),
    ...(cfg.arch === 'generic' ? {} : { arch: `--arch ${cfg.arch}` }),
  };
}
