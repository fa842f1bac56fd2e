/**
 * `npm run synth -- --fmt e4m3 --acc 16 [--target xc7] [--dsp] [--json] [--yosys wasm|native]`:
 * generate the unit in memory, synthesize it with one fresh Yosys, print what it costs and keep
 * the record in `synth-reports/<name>/<target>.json`.
 */
import { join, relative } from 'node:path';
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, noPositional, parseArgs, UNIT_FLAGS, unitRequest, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { writeFileAtomic, ensureWritableDir, makeDirLevels, removeMade } from '../../generators/util/atomic.ts';
import { SYNTH_REPORTS, userCwd, userDir } from '../../generators/util/paths.ts';
import { archFits, target, TARGETS } from '../targets.ts';
import { makeJob, toRecord, NETLIST_OUTPUT, SCRIPT_OUTPUTS, type SynthRecord } from '../synth.ts';
import type { YosysResult } from '../../generators/util/yosys.ts';
import { YosysPool } from '../pool.ts';
import { armDeadline, checkDeadline, deadlineSignal, MAX_TIMEOUT_S, nowDoing, timeoutFlag, TimeoutError } from '../../generators/util/deadline.ts';
import { engineFlag, resolveEngine, formatRecord } from '../common.ts';

const FLAGS: Record<string, FlagSpec> = {
  ...UNIT_FLAGS,
  target: { value: true, arg: TARGETS.join('|'), help: 'device family to map to (default xc7)' },
  dsp: { value: false, help: 'let multipliers map to DSP blocks (default: LUT-only)' },
  yosys: { value: true, arg: 'wasm|native', help: 'Yosys build: @yowasp/yosys (default) or `yosys` on PATH' },
  out: { value: true, arg: 'DIR', help: 'keep the record in DIR/<name>/<target>.json (default synth-reports/)' },
  json: { value: false, help: 'print the record as JSON instead of the table (with --write-netlist, plus `netlist`: its path)' },
  'write-netlist': {
    value: false,
    help: 'also keep the mapped netlist (Yosys write_verilog, flip-flops included) as DIR/<name>/<target>.netlist.v, for verify --netlist',
  },
  timeout: {
    value: true,
    arg: 'SECONDS',
    help: 'give up after SECONDS (decimal), stopping Yosys: exit 1, no record (default: none; e4m3 × 1024 lanes takes over 5 minutes)',
  },
  help: { value: false, help: 'show this help' },
};

/** What synth returns: the record, and where the netlist went (`--write-netlist`, when Yosys succeeded). */
export type SynthOutcome = SynthRecord & { readonly netlist?: string };

/** Synthesize one unit from command-line flags; returns the record (null for --help). */
export async function synthCommand(argv: readonly string[]): Promise<SynthOutcome | null> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText(
        'minimac synth --fmt FMT [flags]   (or: npm run synth -- …)',
        'Synthesize one MAC unit with Yosys and print what it costs. Big units cost minutes: e4m3 × 1024 lanes, or every maximum at once, runs over 5 minutes (use --timeout).',
        FLAGS,
        [
          'minimac synth --fmt e4m3 --acc 16',
          'minimac synth --fmt int8 --target ecp5 --dsp --json',
          'minimac synth --fmt e4m3 --lanes 1024 --timeout 600',
          'minimac synth --fmt e2m1 --acc 8 --write-netlist   (then: minimac verify --netlist … --unit …)',
        ],
      ),
    );
    return null;
  }
  noPositional(positional);
  const cfg = new MacConfig(unitRequest(flags));
  const t = target(typeof flags.target === 'string' ? flags.target : 'xc7');
  archFits(cfg.arch, t);
  const engine = engineFlag(flags.yosys);
  const dsp = flags.dsp === true;
  const out = typeof flags.out === 'string' ? userDir(flags.out, '--out') : SYNTH_REPORTS;
  const seconds = timeoutFlag(flags.timeout);
  // Every check before anything is made: a missing native Yosys leaves no folder behind.
  const version = await resolveEngine(engine);
  const made = ensureWritableDir(out, '--out');
  armDeadline(seconds);
  const writeNetlist = flags['write-netlist'] === true;
  const { job, verilog } = makeJob(cfg, t, dsp, engine, version, writeNetlist);
  nowDoing(`synthesizing ${cfg.name} with Yosys`);
  // In a child process (one slot), so the main thread stays free for the deadline, which kills it:
  // a killed process cannot take the command down with it, a terminated wasm thread can (pool.ts).
  const pool = new YosysPool(1, engine, MAX_TIMEOUT_S * 1000, deadlineSignal, 'process');
  let res: YosysResult;
  try {
    res = await pool.run({ [job.file]: verilog }, job.script, writeNetlist ? [...SCRIPT_OUTPUTS, NETLIST_OUTPUT] : SCRIPT_OUTPUTS);
    checkDeadline();
  } catch (e) {
    removeMade(made); // a timed-out run leaves no (empty) --out behind
    // --json promises a record on stdout, a timed-out run included (and none is kept on disk)
    if (e instanceof TimeoutError && flags.json) process.stdout.write(JSON.stringify({ name: job.name, target: t.name, ok: false, ...e.json() }, null, 2) + '\n');
    throw e;
  } finally {
    await pool.close();
  }
  const rec = toRecord(job, res, t);
  const dir = join(out, job.name);
  makeDirLevels(dir);
  // One stem for the record and the netlist, so flows (-dsp, -native) never overwrite each other's.
  const stem = join(dir, `${t.name}${dsp ? '-dsp' : ''}${engine === 'native' ? '-native' : ''}`);
  const file = `${stem}.json`;
  const text = res.outputs[NETLIST_OUTPUT];
  // Only a successful run's netlist is kept: a failed one has none, or a partial design.
  const netlist = writeNetlist && rec.ok && text !== undefined ? `${stem}.netlist.v` : undefined;
  if (netlist !== undefined) writeFileAtomic(netlist, text!);
  writeFileAtomic(file, JSON.stringify(rec, null, 2) + '\n');
  const shownNetlist = netlist === undefined ? undefined : relative(userCwd(), netlist);
  const outcome: SynthOutcome = shownNetlist === undefined ? rec : { ...rec, netlist: shownNetlist };
  if (flags.json) process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
  else process.stdout.write(formatRecord(rec) + `record   ${relative(userCwd(), file)}\n` + (shownNetlist ? `netlist  ${shownNetlist}\n` : ''));
  if (!rec.ok) process.stderr.write(`synthesis failed: ${rec.error}\n${rec.logTail}\n`);
  return outcome;
}

/** The synth command on argv; returns the exit code (1 when synthesis failed). */
export async function main(argv: readonly string[]): Promise<number> {
  const rec = await synthCommand(argv);
  return rec && !rec.ok ? 1 : 0;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
