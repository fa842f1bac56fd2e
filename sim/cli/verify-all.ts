/**
 * `npm run verify:all` (nightly, not in CI): every weight × activation pair of the 33 formats of
 * 3–8 bits (27 minifloats and int3..int8), linted and verified in Verilator (and Icarus with
 * --sim both), with a summary table. Exits 1 when any unit fails. With --formal, each pair is
 * proven instead (sim/formal.ts proveUnit: the unit equals bench/reference for every state and
 * input, and its xc7 netlist equals its RTL), the 16-bit pairs fp16 × fp16 and bf16 × int8 are
 * added, and the solver time of every unit is reported; UNKNOWN (time limit) counts as not proven.
 */
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, noPositional, parseArgs, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { formatsOfBits } from '../../generators/formats/format.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { lintUnits } from '../lint.ts';
import { MATRIX_ICARUS, MATRIX_VERILATOR } from '../presets.ts';
import { formatReport, verifyUnit } from '../verify.ts';
import { simsFlag } from './verify.ts';
import { formatFormalReport, proveUnit } from '../formal.ts';
import { pool } from '../../generators/util/pool.ts';
import { timeoutFlag } from '../../generators/util/deadline.ts';

const FLAGS: Record<string, FlagSpec> = {
  sim: { value: true, arg: 'verilator|iverilog|both', help: 'simulator(s) to run (default verilator)' },
  formal: { value: false, help: 'prove every pair (unit = reference, xc7 netlist = RTL) instead of simulating, plus fp16 × fp16 and bf16 × int8; prints the solver time of each' },
  timeout: { value: true, arg: 'SECONDS', help: 'with --formal: the time limit of each unit (default 900)' },
  bits: { value: true, arg: 'LO-HI', help: 'format widths on both sides (default 3-8: 33 × 33 pairs); a slice for a shard of the nightly job' },
  help: { value: false, help: 'show this help' },
};

/** The 33 formats of 3–8 bits. */
export function allFormats(): string[] {
  return formatsOfBits('3-8');
}

/** The verify-all command on argv; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText('minimac verify-all [--sim both] [--bits 3-8]   (or: npm run verify:all -- …)', 'Verify every activation × weight pair of the 3–8-bit formats (33 × 33).', FLAGS, [
        'minimac verify-all                       # the nightly matrix, Verilator',
        'minimac verify-all --bits 3-4 --sim both # a slice, in Verilator and Icarus',
        'minimac verify-all --formal --bits 3-4  # proven, plus fp16 x fp16 and bf16 x int8',
      ]),
    );
    return 0;
  }
  noPositional(positional);
  if (flags.formal) {
    if (Object.hasOwn(flags, 'sim')) throw new UsageError('--formal runs no simulation: --sim cannot go with it', '--sim');
    const fmts = typeof flags.bits === 'string' ? formatsOfBits(flags.bits) : allFormats();
    return formalMatrix(fmts, timeoutFlag(flags.timeout) ?? 900);
  }
  if (Object.hasOwn(flags, 'timeout')) throw new UsageError('--timeout goes with --formal', '--timeout');
  const sims = simsFlag(flags.sim);
  const fmts = typeof flags.bits === 'string' ? formatsOfBits(flags.bits) : allFormats();
  const t0 = performance.now();
  const rows: string[][] = [];
  let failed = 0;
  for (const afmt of fmts) {
    const units = fmts.map((wfmt) => {
      const cfg = new MacConfig({ afmt, wfmt });
      return { cfg, verilog: generateVerilog(cfg) };
    });
    // One lint batch per activation format (one Yosys start for 33 units).
    const lint = await lintUnits(units.map((u) => ({ top: u.cfg.name, verilog: u.verilog })));
    const row = [afmt];
    for (const [i, u] of units.entries()) {
      let ok = lint[i].clean;
      if (!ok) process.stdout.write(`FAIL ${u.cfg.name}: lint gate\n${lint[i].problems.join('\n')}\n`);
      for (const sim of sims) {
        if (!ok) break;
        const r = await verifyUnit(u.cfg, { ...(sim === 'verilator' ? MATRIX_VERILATOR : MATRIX_ICARUS), verilog: u.verilog, sims: [sim] });
        if (!r.pass) process.stdout.write(formatReport(r));
        ok &&= r.pass;
      }
      row.push(ok ? '.' : 'X');
      if (!ok) failed++;
    }
    rows.push(row);
    process.stderr.write(`${afmt}: ${row.slice(1).join('')}\n`);
  }
  const w = Math.max(...fmts.map((f) => f.length));
  process.stdout.write(`\nactivation \\ weight (. pass, X fail); columns in the order: ${fmts.join(' ')}\n`);
  for (const r of rows) process.stdout.write(`${r[0].padEnd(w)}  ${r.slice(1).join(' ')}\n`);
  const total = fmts.length ** 2;
  process.stdout.write(`\n${failed ? 'FAIL' : 'PASS'}: ${total - failed}/${total} units in ${sims.join(' + ')}, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  return failed ? 1 : 0;
}

/** The 16-bit pairs the formal matrix adds (activation, weight). */
export const FORMAL_WIDE: readonly [string, string][] = [
  ['e5m10ieee', 'e5m10ieee'],
  ['e8m7ieee', 'int8'],
];

/** `--formal`: prove every pair of `fmts` and the 16-bit pairs, two at a time; a line per unit with its times. */
async function formalMatrix(fmts: readonly string[], timeoutS: number): Promise<number> {
  const t0 = performance.now();
  const pairs: [string, string][] = [...fmts.flatMap((a) => fmts.map((w): [string, string] => [a, w])), ...FORMAL_WIDE];
  const rs = await pool(pairs, 2, async ([afmt, wfmt]) => {
    const cfg = new MacConfig({ afmt, wfmt });
    const r = await proveUnit(cfg, generateVerilog(cfg), null, { timeoutS });
    const [ref, net] = r.proofs;
    process.stdout.write(`${r.result.padEnd(7)} ${cfg.name}  reference ${ref.result} ${ref.seconds} s, netlist ${net.result} ${net.seconds} s\n`);
    if (r.result !== 'PROVEN') process.stdout.write(formatFormalReport(r));
    return r;
  });
  const proven = rs.filter((r) => r.result === 'PROVEN').length;
  const slowest = [...rs].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  process.stdout.write(`\nslowest: ${slowest.map((r) => `${r.unit} ${r.seconds} s`).join(', ')}\n`);
  process.stdout.write(`${proven === rs.length ? 'PROVEN' : 'NOT PROVEN'}: ${proven}/${rs.length} units (unit = reference and xc7 netlist = RTL), ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  return proven === rs.length ? 0 : 1;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
