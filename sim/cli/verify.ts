/**
 * `minimac verify <gen flags> [--sim verilator|iverilog|both] [--seed N] [--beats N] [--json]`
 * (`npm run verify -- …`): generate the unit, lint it, replay golden-model stimulus in the simulators, print PASS or FAIL.
 */
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, parseArgs, UNIT_FLAGS, unitRequest, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { lintUnit } from '../lint.ts';
import { MissingToolError, type Simulator } from '../tools.ts';
import { formatReport, reportJson, verifyUnit } from '../verify.ts';

/** The flags of verify: the gen flags plus simulator choice, seed and stimulus size. */
export const VERIFY_FLAGS: Readonly<Record<string, FlagSpec>> = Object.freeze({
  ...UNIT_FLAGS,
  sim: { value: true, arg: 'verilator|iverilog|both', help: 'simulator(s) to run (default verilator)' },
  seed: { value: true, arg: 'N', help: 'seed of the random stimulus (default 1)' },
  beats: { value: true, arg: 'N', help: 'edges of the long random sequence (default 100000)' },
  pairs: { value: true, arg: 'N', help: 'random (a, w) pairs when there are too many to enumerate (default 100000)' },
  'no-lint': { value: false, help: 'skip the lint gate (Verilator -Wall, iverilog, Yosys check)' },
  json: { value: false, help: 'print the result as JSON on stdout (PASS/FAIL, counts, first mismatches)' },
  help: { value: false, help: 'show this help' },
});

/** A non-negative integer flag. */
export function countFlag(v: string | true | undefined, dflt: number, flag: string, max = 100_000_000): number {
  if (v === undefined) return dflt;
  if (v === true || !/^\d+$/.test(v.trim()) || Number(v) > max) throw new UsageError(`must be an integer from 0 to ${max}, not '${v}'`, flag);
  return Number(v);
}

/** The simulators named by --sim. */
export function simsFlag(v: string | true | undefined): Simulator[] {
  if (v === undefined) return ['verilator'];
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'both') return ['verilator', 'iverilog'];
  if (s === 'verilator' || s === 'iverilog') return [s];
  throw new UsageError(`simulator must be verilator, iverilog or both, not '${v}'`, '--sim');
}

/** Run verify on argv; returns the exit code. */
export async function verifyMain(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, VERIFY_FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText(
        'minimac verify --fmt FMT [gen flags] [--sim verilator|iverilog|both] [--seed N] [--beats N] [--json]   (or: npm run verify -- …)',
        'Check a generated unit bit-exactly against the golden model in Verilator (and/or Icarus), every output on every cycle.',
        VERIFY_FLAGS,
        [
          'minimac verify --fmt e4m3 --acc 16',
          'minimac verify --fmt e2m1 --acc 8 --sim both --json',
          'minimac verify --afmt e5m2 --wfmt int4 --lanes 2 --pipeline 1 --seed 7 --beats 20000',
        ],
      ),
    );
    return 0;
  }
  if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`, positional[0]);
  const cfg = new MacConfig(unitRequest(flags));
  const sims = simsFlag(flags.sim);
  const seed = countFlag(flags.seed, 1, '--seed', 2 ** 31 - 1);
  const beats = countFlag(flags.beats, 100_000, '--beats');
  const pairs = countFlag(flags.pairs, 100_000, '--pairs');
  try {
    const verilog = generateVerilog(cfg);
    if (!flags['no-lint']) {
      const lint = await lintUnit(cfg.name, verilog);
      if (!lint.clean) {
        if (flags.json) process.stdout.write(JSON.stringify({ unit: cfg.name, result: 'FAIL', lint: lint.problems }, null, 2) + '\n');
        else process.stdout.write(`FAIL ${cfg.name}: lint gate\n${lint.problems.join('\n')}\n`);
        return 1;
      }
    }
    const r = await verifyUnit(cfg, { seed, beats, pairs, sims, verilog });
    process.stdout.write(flags.json ? JSON.stringify(reportJson(r), null, 2) + '\n' : formatReport(r));
    return r.pass ? 0 : 1;
  } catch (e) {
    if (e instanceof MissingToolError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** The verify command on argv (the dispatcher's entry); returns the exit code. */
export const main = verifyMain;

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
