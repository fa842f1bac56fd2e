/**
 * `minimac verify (<gen flags> | --unit DIR) [--sim verilator|iverilog|both] [--seed N] [--beats N] [--json]`
 * (`npm run verify -- …`): generate the unit, lint it, replay golden-model stimulus in the simulators, print PASS or FAIL.
 */
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, noPositional, parseArgs, UNIT_FLAGS, unitRequest, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { intInRange } from '../../generators/util/numbers.ts';
import { lintUnit } from '../lint.ts';
import { MissingToolError, type Simulator } from '../tools.ts';
import { readUnitDir, type UnitDir } from '../unit-dir.ts';
import { readNetlist, type Netlist } from '../netlist.ts';
import { formatReport, reportJson, verifyUnit } from '../verify.ts';
import { formatFormalReport, proveUnit } from '../formal.ts';
import { armDeadline, checkDeadline, nowDoing, timeoutFlag, TimeoutError } from '../../generators/util/deadline.ts';

/** The flags of verify: the gen flags plus simulator choice, seed and stimulus size. */
export const VERIFY_FLAGS: Readonly<Record<string, FlagSpec>> = Object.freeze({
  ...UNIT_FLAGS,
  unit: {
    value: true,
    arg: 'DIR',
    help: 'check an existing unit folder (its <name>.json and <top>.v, edited or hand-written) instead of generating one; the config comes from the manifest contract fields, so no gen flag goes with it',
  },
  netlist: {
    value: true,
    arg: 'FILE',
    help: "simulate this post-synthesis netlist (synth --write-netlist, or Vivado's write_verilog -mode funcsim) in place of the RTL, against the manifest of --unit DIR; no lint gate (its harness build lints it) and no state injection (its registers are cells)",
  },
  lib: {
    value: true,
    repeatable: true,
    arg: 'FILE[,FILE…]',
    help: "cell models for --netlist, repeatable; +/DIR/FILE is Yosys's share folder (+/xilinx/cells_sim.v). Default: the Yosys library (xilinx, ecp5, ice40 cells_sim.v) that models every cell of the netlist",
  },
  formal: {
    value: false,
    help: 'prove instead of simulating, with the wasm Yosys (its SAT solver and ABC): the unit (generated, or --unit DIR) equals the independent reference bench/reference for every state and input (k-induction over the outputs), and its xc7 netlist (--netlist FILE, else synthesized now) equals its RTL (registers by name, one-step induction). PROVEN exit 0; FAILED (a counterexample) or UNKNOWN (not finished within --timeout, default 900 s) exit 1',
  },
  sim: { value: true, arg: 'verilator|iverilog|both', help: 'simulator(s) to run (default verilator)' },
  seed: { value: true, arg: 'N', help: 'seed of the random stimulus (default 1)' },
  beats: { value: true, arg: 'N', help: 'edges of the long random sequence (default 100000)' },
  pairs: { value: true, arg: 'N', help: 'random (a, w) pairs when there are too many to enumerate (default 100000)' },
  'no-lint': { value: false, help: 'skip the lint gate (Verilator -Wall, iverilog, Yosys check); with --unit it gates the given Verilog too, which a hand-written unit may not pass' },
  json: { value: false, help: 'print the result as JSON on stdout (PASS/FAIL, counts, first mismatches)' },
  timeout: {
    value: true,
    arg: 'SECONDS',
    help: 'give up after SECONDS (decimal), killing the simulator builds and runs: exit 1 (default: none; e4m3 × 1024 lanes takes ~2 minutes and 4 GB)',
  },
  help: { value: false, help: 'show this help' },
});

/** A non-negative integer flag. */
export function countFlag(v: string | true | undefined, dflt: number, flag: string, max = 100_000_000): number {
  if (v === undefined) return dflt;
  return intInRange(typeof v === 'string' ? v : String(v), flag, 0, max, false);
}

/** The simulators named by --sim. */
export function simsFlag(v: string | true | undefined): Simulator[] {
  if (v === undefined) return ['verilator'];
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'both') return ['verilator', 'iverilog'];
  if (s === 'verilator' || s === 'iverilog') return [s];
  throw new UsageError(`simulator must be verilator, iverilog or both, not '${v}'`, '--sim');
}

/** The unit folder of `--unit DIR`, read (null without it); no gen flag may go with it. */
export function unitFlag(flags: Readonly<Record<string, string | true>>): UnitDir | null {
  if (!Object.hasOwn(flags, 'unit')) return null;
  for (const k of Object.keys(UNIT_FLAGS)) {
    if (Object.hasOwn(flags, k)) throw new UsageError(`--unit takes the configuration from the unit's manifest: --${k} cannot go with it`, `--${k}`);
  }
  return readUnitDir(String(flags.unit));
}

/**
 * `--netlist FILE` (read, with its `--lib` files or the Yosys library its cells pick), or null
 * without it. It needs `--unit`, whose manifest it is checked against; `--lib` needs it.
 */
export async function netlistFlag(flags: Readonly<Record<string, string | true>>, libs: readonly string[], unit: UnitDir | null): Promise<Netlist | null> {
  if (!Object.hasOwn(flags, 'netlist')) {
    if (Object.hasOwn(flags, 'lib')) throw new UsageError('--lib gives the cell models of --netlist FILE, which is missing', '--lib');
    return null;
  }
  if (!unit) throw new UsageError("--netlist needs --unit DIR: the netlist is checked against that unit's manifest", '--netlist');
  // The lint gate is for RTL (-Wall on generated code); a netlist's harness build lints it.
  if (Object.hasOwn(flags, 'no-lint')) throw new UsageError('--netlist has no lint gate to skip (the harness build lints a netlist): --no-lint cannot go with it', '--no-lint');
  return readNetlist(String(flags.netlist), unit.cfg.name, libs);
}

/** Run verify on argv; returns the exit code. */
export async function verifyMain(argv: readonly string[]): Promise<number> {
  const { flags, lists, positional } = parseArgs(argv, VERIFY_FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText(
        'minimac verify (--fmt FMT [gen flags] | --unit DIR [--netlist FILE [--lib FILE…]]) [--sim verilator|iverilog|both | --formal] [--seed N] [--beats N] [--json] [--timeout S]   (or: npm run verify -- …)',
        'Check a generated unit (or, with --unit, an existing unit folder) bit-exactly against the golden model in Verilator (and/or Icarus), every output on every cycle. Big units cost minutes and gigabytes: e4m3 × 1024 lanes takes ~2 minutes and 4 GB, every maximum at once over 5 minutes (use --timeout).',
        VERIFY_FLAGS,
        [
          'minimac verify --fmt e4m3 --acc 16',
          'minimac verify --unit rtl-out/minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1 --sim both',
          'minimac verify --netlist synth-reports/minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1/xc7.netlist.v --unit rtl-out/minimac_e4m3_x_e4m3_acc16_frac_n3_floor_wrap_p0_l1 --sim both',
          'minimac verify --fmt e4m3 --formal          # unit = reference, and its xc7 netlist = RTL',
        ],
      ),
    );
    return 0;
  }
  noPositional(positional);
  const unit = unitFlag(flags);
  // Before the gen flags are read: `--netlist FILE` alone is a missing --unit, not a missing --fmt.
  const netlist = await netlistFlag(flags, lists.lib ?? [], unit);
  if (flags.formal) {
    // A proof runs no simulation: a simulation flag with it would be silently ignored, so it is bad input.
    for (const k of ['sim', 'seed', 'beats', 'pairs', 'no-lint']) {
      if (Object.hasOwn(flags, k)) throw new UsageError(`--formal runs no simulation: --${k} cannot go with it`, `--${k}`);
    }
    if (netlist && (netlist.libs.length !== 1 || netlist.libs[0].name !== '+/xilinx/cells_sim.v')) {
      throw new UsageError(`--formal proves xc7 netlists only (cells of +/xilinx/cells_sim.v), not one with ${netlist.cells.join(', ') || 'no cells'}`, '--netlist');
    }
    const cfg = unit ? unit.cfg : new MacConfig(unitRequest(flags));
    const r = await proveUnit(cfg, unit ? unit.verilog : generateVerilog(cfg), netlist, { timeoutS: timeoutFlag(flags.timeout) });
    process.stdout.write(flags.json ? JSON.stringify(r, null, 2) + '\n' : formatFormalReport(r));
    return r.result === 'PROVEN' ? 0 : 1;
  }
  const cfg = unit ? unit.cfg : new MacConfig(unitRequest(flags));
  const sims = simsFlag(flags.sim);
  const seed = countFlag(flags.seed, 1, '--seed', 2 ** 31 - 1);
  const beats = countFlag(flags.beats, 100_000, '--beats');
  const pairs = countFlag(flags.pairs, 100_000, '--pairs');
  armDeadline(timeoutFlag(flags.timeout));
  try {
    const verilog = unit ? unit.verilog : generateVerilog(cfg);
    if (!flags['no-lint'] && !netlist) {
      nowDoing(`linting ${cfg.name}`);
      const lint = await lintUnit(cfg.name, verilog);
      checkDeadline();
      if (!lint.clean) {
        if (flags.json) process.stdout.write(JSON.stringify({ unit: cfg.name, result: 'FAIL', lint: lint.problems }, null, 2) + '\n');
        else process.stdout.write(`FAIL ${cfg.name}: lint gate\n${lint.problems.join('\n')}\n`);
        return 1;
      }
    }
    const r = await verifyUnit(cfg, { seed, beats, pairs, sims, verilog, unitDir: unit ? String(flags.unit) : undefined, injectStates: !unit, netlist: netlist ?? undefined });
    process.stdout.write(flags.json ? JSON.stringify(reportJson(r), null, 2) + '\n' : formatReport(r));
    return r.pass ? 0 : 1;
  } catch (e) {
    if (e instanceof MissingToolError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    // --json promises a record on stdout, a timed-out run included
    if (e instanceof TimeoutError && flags.json) process.stdout.write(JSON.stringify({ unit: cfg.name, result: 'FAIL', ...e.json() }, null, 2) + '\n');
    throw e;
  }
}

/** The verify command on argv (the dispatcher's entry); returns the exit code. */
export const main = verifyMain;

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
