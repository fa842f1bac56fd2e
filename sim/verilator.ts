/**
 * Verilator: build the harness (`harness/verilator_main.cpp`) against a unit once per design,
 * cached by a hash of the RTL, the harness, the build flags and the Verilator version, compiled
 * through ccache; then replay binary stimulus files on it.
 */
import { runTool } from '../generators/util/deadline.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MacConfig } from '../generators/config/mac-config.ts';
import { projectFile } from '../generators/util/paths.ts';
import { CheckFailure } from '../generators/util/errors.ts';
import { cachedDir, hashParts } from './cache.ts';
import { requireSimulator, toolVersion } from './tools.ts';
import { layoutOf } from './vectors.ts';
import { primitiveModelsOf, preparedLibrary, type CellModels, type Netlist } from './netlist.ts';

/** The harness source, compiled into every Verilator build. */
export const HARNESS_CPP = projectFile('sim/harness/verilator_main.cpp');

/** A built simulator binary. */
export interface VerilatorBuild {
  readonly binary: string;
  /** Whether the binary came from the cache. */
  readonly cached: boolean;
  /** Build wall time in ms (0 when cached). */
  readonly ms: number;
}

/** One cycle whose outputs differ from the expected ones, as the simulator reports it. */
export interface RawMismatch {
  readonly cycle: number;
  /** acc as hex, most significant digit first; may hold x/z (Icarus). */
  readonly accHex: string;
  /** ovf, nan, pinf, ninf in bits 0..3; null when any is X/Z. */
  readonly flags: number | null;
  /** The flags as printed (x/z kept). */
  readonly flagsText: string;
  /** `res` as hex (x/z kept), for a unit with a float result. */
  readonly resHex?: string;
}

/** What a simulator run reports. */
export interface RawRun {
  readonly cycles: number;
  readonly mismatches: readonly RawMismatch[];
}

// Verilator: fast C++ over debug; no lint here (the lint gate does that).
// Generated code compiles at -O1: -Os/-O2 cost more compile time than they save on short runs.
// --public-flat-rw: state injection writes the top's acc and flag registers between edges, and
// Verilator then re-evaluates the logic that reads them (a write to the output port alone is not
// seen by logic Verilator computed at the last edge).
const VERILATOR_FLAGS = ['--cc', '--exe', '--build', '--x-assign', 'fast', '--x-initial', 'unique', '--public-flat-rw', '-Wno-fatal', '-Wno-lint', '-Wno-style'];
const OPT = ['OPT_FAST=-O1', 'OPT_SLOW=-O0', 'OPT_GLOBAL=-O1'];

// A netlist has no lint gate (a mapped netlist is all cells, unused nets and constant pins: -Wall is
// meant for the generated RTL), so its harness build is its lint: the same flags less -Wno-fatal, so
// any warning left in the netlist fails the build. No --public-flat-rw: a netlist gets no state
// injection (its registers are cells), and making every net public would only slow the model.
// --no-timing: cell models may carry delays (#…), ignored for a zero-delay functional simulation,
// as the harness drives the clock itself. --timescale: some models set one (iCE40's `1ps / 1ps`) and
// a netlist none, which Verilator 5 refuses (TIMESCALEMOD) unless a default is given.
const NETLIST_FLAGS = ['--cc', '--exe', '--build', '--x-assign', 'fast', '--x-initial', 'unique', '-Wno-lint', '-Wno-style', '--no-timing', '--timescale', '1ns/1ps'];

/**
 * Vectors of cell models whose bits feed one another inside the model (a carry chain: CARRY4's
 * `CO[1] = S[1] ? CO[0] : DI[1]`), which Verilator splits into bits (`split_var`). Left whole,
 * Verilator orders such a vector as one block (UNOPTFLAT) and settles it by iteration, and 5.006
 * got it wrong: int3 × e2m1 on xc7 gave 0s for the upper accumulator bits of negative products,
 * while Icarus, and Verilator with the vector split, were right.
 */
const CARRY_VECTORS: readonly (readonly [module: string, vector: string])[] = [
  ['CARRY4', 'CO'],
  ['CARRY8', 'CO'],
];

/**
 * The Verilator configuration file of a netlist build: warnings turned off by file, in the cell
 * models only, and the carry vectors split. The models are the vendor's (Yosys's cells_sim.v, or
 * `--lib`), not under test, and written for many tools: their lint warnings (a rule-less lint_off
 * covers the lint group: widths, unused and missing pins), INITIALDLY (power-up values set as
 * `initial Q <= INIT`), COMBDLY, MULTIDRIVEN (a reg written from several processes), STMTDLY and
 * ASSIGNDLY (delays, ignored under --no-timing). UNOPTFLAT is not turned off anywhere: it was seen
 * to be a wrong simulation, not a slow one (above), so a model or netlist that still gives it
 * fails the build with a hint.
 */
export const NETLIST_VLT = [
  '`verilator_config',
  'lint_off -file "*/cells.v"',
  ...['INITIALDLY', 'COMBDLY', 'MULTIDRIVEN', 'STMTDLY', 'ASSIGNDLY'].map((r) => `lint_off -rule ${r} -file "*/cells.v"`),
  ...CARRY_VECTORS.map(([m, v]) => `split_var -module "${m}" -var "${v}"`),
  '',
].join('\n');

/** Verilator configuration lines making public exactly the top's registers that state injection writes. */
function injectedPublic(cfg: MacConfig): string {
  const regs = ['acc', 'ovf', ...(cfg.hasFlags ? ['nan', 'pinf', 'ninf'] : [])];
  return regs.map((r) => `public_flat_rw -module "${cfg.name}" -var "${r}"\n`).join('');
}

/** The -D flags of the harness: word counts of each port, from the configuration. */
export function harnessDefines(cfg: MacConfig, trace: boolean, inject = true): string[] {
  const L = layoutOf(cfg);
  // The top's registers as Verilator names them (`$` is written __024), for state injection.
  const top = cfg.name.replace(/\$/g, '__024');
  return [`-DMM_TOP=${top}`, `-DMM_AW=${L.aWords}`, `-DMM_WW=${L.wWords}`, `-DMM_ACCW=${L.accWords}`, `-DMM_FLAGS=${cfg.hasFlags ? 1 : 0}`, `-DMM_RES=${L.resWords}`, `-DMM_TRACE=${trace ? 1 : 0}`, `-DMM_INJECT=${inject ? 1 : 0}`];
}

/**
 * Build (or fetch from the cache) the harness for a unit's Verilog. `inject`: compile the
 * state-injection writes (they name the top's registers, which a hand-written unit may not have).
 * With `netlist`, `verilog` is that netlist and its cell models are compiled with it (no injection).
 */
export async function buildVerilator(cfg: MacConfig, verilog: string, trace = false, inject = true, netlist?: Netlist): Promise<VerilatorBuild> {
  const version = await requireSimulator('verilator');
  const ccache = (await toolVersion('ccache')) !== null;
  const harness = readFileSync(HARNESS_CPP, 'utf8');
  const defines = harnessDefines(cfg, trace, inject && !netlist);
  // RTL that instantiates Xilinx primitives (an --arch unit, or a hand-written one): their models are compiled with it, as a netlist's are.
  const models: CellModels | null = netlist ?? (await primitiveModelsOf(verilog));
  // Not --public-flat-rw there: Verilator will not split a public vector (split_var), and the
  // carry models' CO must be split (above); only the registers the injection writes are public.
  const base = netlist ? NETLIST_FLAGS : models ? [...VERILATOR_FLAGS.filter((f) => f !== '--public-flat-rw'), '--no-timing'] : VERILATOR_FLAGS;
  const vltText = models ? NETLIST_VLT + (netlist ? '' : injectedPublic(cfg)) : '';
  const flags = [...base, ...(trace ? ['--trace'] : []), ...OPT];
  // A netlist's key also holds its libraries (with their defines) and the warning configuration.
  const libParts = models ? [vltText, ...models.libs.flatMap((l) => [l.name, l.text, ...l.defines]), ...models.cells] : [];
  const key = hashParts([verilog, harness, version, cfg.name, ...defines, ...flags, ...libParts]);
  const t0 = performance.now();
  const { dir, hit } = await cachedDir('verilator', key, async (tmp) => {
    const vfile = join(tmp, netlist ? 'netlist.v' : `${cfg.name}.v`);
    writeFileSync(vfile, verilog);
    // A netlist build: the warning configuration first (it must precede the files it names), the cell models after.
    const vlt: string[] = [];
    const cells: string[] = [];
    if (models) {
      vlt.push(join(tmp, 'cells.vlt'));
      writeFileSync(vlt[0], vltText);
      if (models.libs.length) {
        cells.push(join(tmp, 'cells.v'));
        writeFileSync(cells[0], await preparedLibrary('verilator', models, tmp));
      }
    }
    const r = await runTool(
      'verilator',
      [
        ...base,
        ...(trace ? ['--trace'] : []),
        '--prefix',
        'Vdut',
        '--top-module',
        cfg.name,
        '-Mdir',
        join(tmp, 'obj'),
        '-o',
        join(tmp, 'Vdut'),
        '-j',
        '2',
        '-CFLAGS',
        defines.join(' '),
        '-MAKEFLAGS',
        [...OPT, ...(ccache ? ['OBJCACHE=ccache'] : [])].join(' '),
        ...vlt,
        vfile,
        ...cells,
        HARNESS_CPP,
      ],
      tmp,
    );
    if (r.exitCode !== 0) {
      const log = r.all ?? '';
      const what = netlist ? `the netlist ${netlist.file} failed (its harness build is its lint: any warning in the netlist fails it)` : `${cfg.name} failed`;
      // The warning a sound netlist or model may still give: say what to do about it.
      const loop = netlist ? /%Warning-UNOPTFLAT: [^\n]*\/(netlist|cells)\.v/.exec(log) : null;
      const hint = !loop
        ? ''
        : loop[1] === 'netlist'
          ? '\nhint: UNOPTFLAT in the netlist: its vector nets feed their own bits through cells, which Verilator orders as one block (5.006 got such a block wrong); split them into bits (Yosys `splitnets`, as synth --write-netlist does) or use --sim iverilog'
          : '\nhint: UNOPTFLAT in a cell model: a vector whose bits feed one another inside it, which Verilator 5.006 simulated wrongly in CARRY4 until it was split (split_var in sim/verilator.ts); add that model\'s vector there, or use --sim iverilog';
      const message = `verilator build of ${what}:\n${log.slice(-4000)}${hint}`;
      // For a netlist this is its lint failing (exit 1, FAIL), not an internal error.
      throw netlist ? new CheckFailure(message) : new Error(message);
    }
  });
  return { binary: join(dir, 'Vdut'), cached: hit, ms: hit ? 0 : performance.now() - t0 };
}

/** Parse the `M …` / `DONE …` lines both simulators print. */
export function parseRun(out: string): RawRun {
  const mismatches: RawMismatch[] = [];
  let cycles = -1;
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'M' && (f.length === 4 || f.length === 5)) {
      const flags = /^[0-9a-f]+$/i.test(f[3]) ? parseInt(f[3], 16) : null;
      const resHex = f.length === 5 ? f[4].toLowerCase() : undefined;
      mismatches.push({ cycle: Number(f[1]), accHex: f[2].toLowerCase(), flags, flagsText: f[3].toLowerCase(), ...(resHex !== undefined ? { resHex } : {}) });
    } else if (f[0] === 'DONE') cycles = Number(f[1]);
  }
  if (cycles < 0) throw new Error(`simulator output has no DONE line:\n${out.slice(-2000)}`);
  return { cycles, mismatches };
}

/** Replay a binary stimulus file; with `vcd`, the build must be traced and a VCD is written there. */
export async function runVerilator(build: VerilatorBuild, stimulusFile: string, vcd?: string): Promise<RawRun> {
  const r = await runTool(build.binary, vcd ? [stimulusFile, vcd] : [stimulusFile]);
  if (r.exitCode !== 0) throw new Error(`verilator harness failed (exit ${r.exitCode}):\n${(r.all ?? '').slice(-2000)}`);
  return parseRun(r.stdout);
}
