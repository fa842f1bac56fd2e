/**
 * `npm run synth -- --fmt e4m3 --acc 16 [--target xc7] [--dsp] [--json] [--yosys wasm|native]`:
 * generate the unit in memory, synthesize it with one fresh Yosys, print what it costs and keep
 * the record in `synth-reports/<name>/<target>.json`.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, noPositional, parseArgs, UNIT_FLAGS, unitRequest, type FlagSpec } from '../../generators/cli/args.ts';
import { runCommand } from '../../generators/cli/main.ts';
import { writeFileAtomic, ensureWritableDir } from '../../generators/util/atomic.ts';
import { SYNTH_REPORTS, userDir } from '../../generators/util/paths.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { target, TARGETS } from '../targets.ts';
import { makeJob, toRecord, SCRIPT_OUTPUTS, type SynthRecord } from '../synth.ts';
import { runYosysScript } from '../yosys.ts';
import { engineFlag, resolveEngine, formatRecord } from '../common.ts';

const FLAGS: Record<string, FlagSpec> = {
  ...UNIT_FLAGS,
  target: { value: true, arg: TARGETS.join('|'), help: 'device family to map to (default xc7)' },
  dsp: { value: false, help: 'let multipliers map to DSP blocks (default: LUT-only)' },
  yosys: { value: true, arg: 'wasm|native', help: 'Yosys build: @yowasp/yosys (default) or `yosys` on PATH' },
  out: { value: true, arg: 'DIR', help: 'keep the record in DIR/<name>/<target>.json (default synth-reports/)' },
  json: { value: false, help: 'print the record as JSON instead of the table' },
  help: { value: false, help: 'show this help' },
};

/** Synthesize one unit from command-line flags; returns the record (null for --help). */
export async function synthCommand(argv: readonly string[]): Promise<SynthRecord | null> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(helpText('npm run synth -- --fmt FMT [flags]', 'Synthesize one MAC unit with Yosys and print what it costs.', FLAGS));
    return null;
  }
  noPositional(positional);
  const cfg = new MacConfig(unitRequest(flags));
  const t = target(typeof flags.target === 'string' ? flags.target : 'xc7');
  const engine = engineFlag(flags.yosys);
  const dsp = flags.dsp === true;
  const out = typeof flags.out === 'string' ? userDir(flags.out, '--out') : SYNTH_REPORTS;
  // Every check before anything is made: a missing native Yosys leaves no folder behind.
  const version = await resolveEngine(engine);
  ensureWritableDir(out, '--out');
  const { job, verilog } = makeJob(cfg, t, dsp, engine, version);
  const res = await runYosysScript({ [job.file]: verilog }, job.script, SCRIPT_OUTPUTS, engine);
  const rec = toRecord(job, res, t);
  const dir = join(out, job.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${t.name}${dsp ? '-dsp' : ''}${engine === 'native' ? '-native' : ''}.json`);
  writeFileAtomic(file, JSON.stringify(rec, null, 2) + '\n');
  if (flags.json) process.stdout.write(JSON.stringify(rec, null, 2) + '\n');
  else process.stdout.write(formatRecord(rec) + `record   ${relative(process.env.INIT_CWD ?? process.cwd(), file)}\n`);
  if (!rec.ok) process.stderr.write(`synthesis failed: ${rec.error}\n${rec.logTail}\n`);
  return rec;
}

await runCommand(async () => {
  const rec = await synthCommand(process.argv.slice(2));
  return rec && !rec.ok ? 1 : 0;
});
