/**
 * `npm run sweep -- [--bits 3-8] [--wfmt …] [--afmt …] [--acc W] [--len N] [--target xc7] [--dsp]
 * [--shard i/n] [--jobs N] [--out DIR] [--run NAME] [--cache DIR] [--yosys wasm|native]
 * [--baseline DIR|none] [--regression-threshold PCT] [--fail-on-regression PCT]`:
 * the nightly design-space sweep, written as a report folder `synth-reports/<run>/`, compared with
 * the night before.
 */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { MacConfig } from '../../generators/config/mac-config.ts';
import { helpText, noPositional, parseArgs, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { ensureWritableDirs } from '../../generators/util/atomic.ts';
import { isAtOrUnder, SYNTH_REPORTS, userCwd, userDir } from '../../generators/util/paths.ts';
import { shown, UsageError } from '../../generators/util/errors.ts';
import { decimalInt, inRange } from '../../generators/util/numbers.ts';
import { target, TARGETS, type Target } from '../targets.ts';
import { checkRunName, engineFlag, resolveEngine, runName } from '../common.ts';
import { ResultCache } from '../cache.ts';
import { parseShard, runSweep, type SweepParams, type SweepResults } from '../sweep.ts';
import { formatList, formatsOfBits } from '../../generators/formats/format.ts';
import { progressReporter } from '../progress.ts';
import { addAccuracy } from '../accuracy.ts';
import { writeReport } from '../report/write.ts';
import { costName } from '../report/tables.ts';
import { spotCheck, spotCheckFlag, type SpotCheckReport } from '../spot-check.ts';
import { changed, generatorInfo, nightExtras, nightFlags, nightSummary, prepareNight, regressionCheck, type Comparison, type Night } from '../baseline.ts';

const FLAGS: Record<string, FlagSpec> = {
  bits: { value: true, arg: 'LO-HI', help: 'format widths to sweep: every minifloat ExMy and int of each (default 3-8: 33 formats)' },
  wfmt: { value: true, arg: 'F1,F2,…', help: 'weight formats instead of those of --bits' },
  afmt: { value: true, arg: 'F1,F2,…', help: 'activation formats instead of those of --bits' },
  acc: { value: true, arg: 'W', help: 'one accumulator width for every pair (default: each pair its exact width + ceil(log2 len))' },
  len: { value: true, arg: 'N', help: 'products the default accumulator width must hold (default 1024)' },
  result: { value: true, arg: 'R', help: 'every unit also converts acc to the float R (fp32, bf16, fp16, a minifloat); rows cost the whole unit' },
  'result-overflow': { value: true, arg: 'sat|inf', help: 'the result\'s overflow mode (default sat; only with --result)' },
  'result-pipeline': { value: true, arg: 'Q', help: 'register stages in the conversion (default 0; only with --result)' },
  target: { value: true, arg: TARGETS.join('|') + '[,…]', help: 'device family (default xc7); several, comma-separated, give one report each and a comparison across them' },
  dsp: { value: false, help: 'let multipliers map to DSP blocks (default: LUT-only)' },
  arch: { value: true, arg: 'generic|target', help: 'generic RTL (default), or each target\'s own primitives where it has them (xc7: LUT6_2 + CARRY4, xcup: LUT6_2 + CARRY8; generic elsewhere)' },
  yosys: { value: true, arg: 'wasm|native', help: 'Yosys build (default wasm); one sweep never mixes the two' },
  shard: { value: true, arg: 'i/n', help: 'run only shard i of n (1-based); merge the shards with npm run sweep:merge' },
  jobs: { value: true, arg: 'N', help: 'designs synthesized at once (default: the number of cores)' },
  out: { value: true, arg: 'DIR', help: 'folder of report folders (default synth-reports/)' },
  run: { value: true, arg: 'NAME', help: 'report folder name (default <date>-<target>[-shard-i-of-n]; NAME-<target> with several targets)' },
  cache: { value: true, arg: 'DIR', help: 'result cache (default <out>/.cache)' },
  baseline: { value: true, arg: 'DIR|none', help: 'compare with this report folder (or its results.json); default: the newest earlier comparable run in --out' },
  'regression-threshold': { value: true, arg: 'PCT', help: `a pair whose LUTs, FFs or depth grew by more than PCT% is a regression (default 2)` },
  'fail-on-regression': { value: true, arg: 'PCT', help: 'exit 1, after writing the report, when a pair grew by more than PCT% against the baseline' },
  json: { value: false, help: 'print a summary as JSON on stdout (counts, report folder, each pair\'s LUT/FF/depth)' },
  'spot-check': {
    value: true,
    arg: 'N',
    help: 'after the sweep, synthesize N designs (picked by index) again with their netlists and verify those gate level in Verilator and Icarus; in the report, exit 1 on a failure (default 0)',
  },
  help: { value: false, help: 'show this help' },
};

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * `--target A,B,…`: the device families, in the order given; one is the usual sweep. An empty
 * entry or a family named twice is bad input.
 */
export function targetList(text: string): Target[] {
  // Spaces around the commas are allowed (`xc7, ecp5`); any other whitespace reaches target() and is bad input.
  const names = text.split(',').map((x) => x.replace(/^ +| +$/g, ''));
  if (names.some((x) => x === '')) throw new UsageError(`target list must name families separated by commas, not ${shown(text)}`, '--target');
  const out = names.map((x) => target(x));
  const dup = out.find((t, i) => out.findIndex((u) => u.name === t.name) !== i);
  if (dup) throw new UsageError(`target ${shown(dup.name)} is listed twice`, '--target');
  return out;
}

/** One target's sweep of a run: its parameters, report folder name and baseline. */
interface Leg {
  readonly t: Target;
  readonly params: SweepParams;
  readonly run: string;
  readonly before: Night;
}

/** One target's sweep, done: its results, timing and cache figures. */
interface Done extends Leg {
  readonly results: SweepResults;
  readonly seconds: number;
  readonly cached: number;
  readonly discarded: number;
}

/** Run the sweep command; returns the exit code. */
export async function sweepCommand(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText('minimac sweep [flags]   (or: npm run sweep -- …)', 'Synthesize every weight × activation format pair and write cost tables.', FLAGS, [
        'minimac sweep                                   # the nightly 33 × 33 sweep into synth-reports/<run>/',
        'minimac sweep --bits 3-4 --target ecp5 --shard 1/2 --jobs 2   # then minimac sweep-merge',
        'minimac sweep --bits 3-4 --target xc7,xcup,ecp5  # one report per target, each comparing all three',
        'minimac sweep --fail-on-regression 5            # exit 1 when a pair grew by over 5% since the last comparable run',
      ]),
    );
    return 0;
  }
  noPositional(positional);
  const targets = targetList(str(flags.target) ?? 'xc7');
  // As every choice flag of the unit: case does not matter (TARGET is target).
  const archMode = (str(flags.arch) ?? 'generic').toLowerCase();
  if (archMode !== 'generic' && archMode !== 'target') throw new UsageError(`arch must be generic or target, not ${shown(String(flags.arch))}`, '--arch');
  const engine = engineFlag(flags.yosys);
  const bits = str(flags.bits) ?? '3-8';
  const weights = flags.wfmt !== undefined ? formatList(String(flags.wfmt), '--wfmt') : formatsOfBits(bits);
  const activations = flags.afmt !== undefined ? formatList(String(flags.afmt), '--afmt') : formatsOfBits(bits);
  const accText = str(flags.acc);
  const lenText = str(flags.len);
  // The generator's own rules judge --acc and --len (and name the flag when they break one).
  const resultReq = { result: str(flags.result), resultOverflow: str(flags['result-overflow']), resultPipeline: str(flags['result-pipeline']) };
  const probe = new MacConfig({ wfmt: weights[0], afmt: activations[0], acc: accText, len: lenText, ...resultReq });
  const shard = flags.shard !== undefined ? parseShard(String(flags.shard)) : null;
  const spots = spotCheckFlag(flags['spot-check']);
  const night = nightFlags(flags, shard !== null);
  // One --baseline folder is one target's run: with several targets each finds its own.
  if (targets.length > 1 && typeof flags.baseline === 'string' && flags.baseline !== 'none') {
    throw new UsageError('a baseline folder is one target\'s run; with several targets leave --baseline out (each target finds its own) or give none', '--baseline');
  }
  const jobsText = str(flags.jobs);
  let jobs = Math.min(availableParallelism(), 256);
  if (jobsText !== undefined) {
    const n = decimalInt(jobsText, false);
    if (n === null) throw new UsageError(`jobs must be a positive integer, not ${shown(jobsText)}`, '--jobs');
    if (!inRange(n, 1, 256)) throw new UsageError(`jobs must be 1 to 256, not ${jobsText}`, '--jobs');
    jobs = Number(n);
  }
  const out = str(flags.out) !== undefined ? userDir(String(flags.out), '--out') : SYNTH_REPORTS;
  // With several targets, --run NAME names the run and each target's folder is NAME-<target>.
  const runOf = (t: Target) => (targets.length > 1 && str(flags.run) !== undefined ? checkRunName(`${str(flags.run)}-${t.name}`) : runName(str(flags.run), t.name, shard));
  const cacheDir = str(flags.cache) !== undefined ? userDir(String(flags.cache), '--cache') : join(out, '.cache');
  for (const t of targets) {
    // The report replaces out/run on every run: a cache in it would be wiped each time.
    const run = runOf(t);
    if (isAtOrUnder(cacheDir, join(out, run))) {
      throw new UsageError(`the cache ${shown(cacheDir)} lies in the report folder ${shown(join(out, run))}, which every run replaces; put it elsewhere`, '--cache');
    }
  }
  // Every check before anything is made; then both folders, or neither.
  const version = await resolveEngine(engine);
  const startedAt = new Date().toISOString();
  const legs: Leg[] = targets.map((t) => {
    const params: SweepParams = {
      weights,
      activations,
      target: t.name,
      dsp: flags.dsp === true,
      engine,
      yosysVersion: version,
      acc: accText !== undefined ? probe.accWidth : null,
      len: lenText !== undefined ? probe.len : null,
      // only present with --result, so the id of every sweep without one stays what it was
      ...(probe.result ? { result: { spec: probe.result.spec, overflow: probe.resultOverflow, pipeline: probe.resultPipeline } } : {}),
      // only present with a primitive arch, so the id of every generic sweep stays what it was
      ...(archMode === 'target' && (t.name === 'xc7' || t.name === 'xcup') ? { arch: t.name } : {}),
    };
    const run = runOf(t);
    // The baseline is read and checked before the sweep runs, so a bad one costs nothing and writes nothing.
    return { t, params, run, before: prepareNight(night, out, run, params, startedAt, shard !== null) };
  });
  ensureWritableDirs([
    [out, '--out'],
    [cacheDir, '--cache'],
  ]);
  const done: Done[] = [];
  for (const leg of legs) done.push(await sweepTarget(leg, shard, cacheDir, jobs));
  const runs = done.map((d) => ({ target: d.t.name, results: d.results }));
  const generator = generatorInfo();
  let status = 0;
  const summaries: unknown[] = [];
  for (const d of done) {
    const { results, run, before } = d;
    const failed = results.rows.filter((r) => !r.ok).length;
    const spot = spots > 0 ? await runSpotChecks(d, spots) : undefined;
    const extras = { ...nightExtras(before, results, run, startedAt, generator), ...(runs.length > 1 ? { targets: runs } : {}), ...(spot ? { spotChecks: spot } : {}) };
    const meta = {
      startedAt,
      seconds: Number(d.seconds.toFixed(1)),
      jobs,
      designs: results.rows.length,
      failed,
      discardedCacheEntries: d.discarded,
      generator,
      baseline: extras.comparison?.baseline.run ?? null,
      ...(runs.length > 1 ? { targets: runs.map((x) => x.target) } : {}),
    };
    const dir = await writeReport(out, run, results, meta, extras);
    const c = extras.comparison;
    if (flags.json) summaries.push({ ...jsonSummary(d, dir, failed, c), ...(spot ? { spotChecks: spot.checks.map((x) => ({ index: x.index, name: x.name, result: x.result, netlist: x.netlist })) } : {}) });
    else process.stdout.write(`sweep ${results.sweep.id}: ${results.rows.length} configurations (${failed} failed) in ${d.seconds.toFixed(1)} s → ${relative(userCwd(), dir) || '.'}${nightSummary(c)}\n`);
    const check = regressionCheck(before, c, out, costName(results));
    for (const line of check.lines) process.stderr.write(line + '\n');
    if (failed || check.failed || spot?.checks.some((x) => x.result !== 'PASS')) status = 1;
  }
  // One target prints its summary as it always did; several print them as a list.
  if (flags.json) process.stdout.write(JSON.stringify(summaries.length === 1 ? summaries[0] : { targets: summaries }, null, 2) + '\n');
  return status;
}

/** `--spot-check N` on one target's finished sweep: a line on stderr per design, the report's section. */
async function runSpotChecks(d: Done, n: number): Promise<SpotCheckReport> {
  process.stderr.write(`spot check: ${Math.min(n, d.results.rows.filter((r) => r.ok).length)} of ${d.results.rows.length} designs, gate level\n`);
  return spotCheck(d.params, d.t, d.results.rows, n, (x, i, of) => {
    process.stderr.write(`[spot ${i}/${of}] ${x.weight} × ${x.activation}: ${x.result}${x.result === 'PASS' ? '' : `: ${x.detail}`} (${x.seconds} s)\n`);
  });
}

/** Synthesize one target's pairs (cached ones read), with its own progress display. */
async function sweepTarget(leg: Leg, shard: { index: number; count: number } | null, cacheDir: string, jobs: number): Promise<Done> {
  const t0 = performance.now();
  const cache = new ResultCache(cacheDir);
  let cached = 0;
  const bar = progressReporter({ jobs });
  const progress: typeof bar = { ...bar, start: (toRun, hits) => ((cached = hits), bar.start(toRun, hits)) };
  const results = await addAccuracy(await runSweep(leg.params, leg.t, shard, cache, jobs, progress));
  for (const f of cache.discarded) process.stderr.write(`warning: corrupt cache entry ${f} discarded and redone\n`);
  return { ...leg, results, seconds: (performance.now() - t0) / 1000, cached, discarded: cache.discarded.length };
}

/** The `--json` summary of one target's sweep. */
function jsonSummary(d: Done, dir: string, failed: number, c: Comparison | undefined) {
  const { results } = d;
  return {
    sweep: results.sweep.id,
    run: d.run,
    dir,
    target: d.t.name,
    shard: results.shard ?? null,
    configurations: results.rows.length,
    failed,
    cached: d.cached,
    seconds: Number(d.seconds.toFixed(1)),
    discardedCacheEntries: d.discarded,
    baseline: c ? { run: c.baseline.run, compared: c.rows.length, changed: c.rows.filter(changed).length, regressions: c.regressions.length } : null,
    rows: results.rows.map((r) => ({
      weight: r.weight.spec,
      activation: r.activation.spec,
      ok: r.ok,
      lut: r.counts?.lut ?? null,
      ff: r.counts?.ff ?? null,
      depth: r.counts?.depth ?? null,
      ...(r.ok ? {} : { error: r.error }),
    })),
  };
}

/** The sweep command on argv (the dispatcher's entry); returns the exit code. */
export const main = sweepCommand;

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
