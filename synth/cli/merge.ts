/**
 * `npm run sweep:merge -- [--out DIR] [--run NAME] [--baseline DIR|none] [--regression-threshold PCT]
 * [--fail-on-regression PCT] SHARD_DIR…`: merge the report folders of the shards of one sweep
 * (`npm run sweep -- --shard i/n`) into one report, compared with a baseline as `sweep` compares
 * (the distributed nightly publishes the merged report). Shards of different
 * sweeps, a shard given twice or a missing shard are bad input (exit 2). An error about one shard
 * folder names it as `(SHARD_DIR k)`, k its position among them (1-based); one about the set of
 * shards as `(SHARD_DIR)`.
 */
import { basename, join, relative } from 'node:path';
import { helpText, parseArgs, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { ensureWritableDir, writeFolderAtomic } from '../../generators/util/atomic.ts';
import { isAtOrUnder, SYNTH_REPORTS, userCwd, userDir, userPath } from '../../generators/util/paths.ts';
import { shown, UsageError } from '../../generators/util/errors.ts';
import { checkRunName } from '../common.ts';
import { MAX_SHARDS, type SweepResults } from '../sweep.ts';
import { addAccuracy } from '../accuracy.ts';
import { reportFiles } from '../report/write.ts';
import { costName } from '../report/tables.ts';
import { generatorInfo, nightExtras, nightFlags, nightSummary, prepareNight, readResultsArg, regressionCheck } from '../baseline.ts';

const FLAGS: Record<string, FlagSpec> = {
  out: { value: true, arg: 'DIR', help: 'folder of report folders (default synth-reports/)' },
  run: { value: true, arg: 'NAME', help: 'name of the merged report folder (default: the shards\' name without -shard-i-of-n)' },
  baseline: { value: true, arg: 'DIR|none', help: 'compare with this report folder (or its results.json); default: the newest earlier comparable run in --out' },
  'regression-threshold': { value: true, arg: 'PCT', help: 'a pair whose LUTs, FFs or depth grew by more than PCT% is a regression (default 2)' },
  'fail-on-regression': { value: true, arg: 'PCT', help: 'exit 1, after writing the report, when a pair grew by more than PCT% against the baseline' },
  help: { value: false, help: 'show this help' },
};

/** How errors name the k-th shard folder (1-based), since it comes with no flag. */
export function shardArg(k: number): string {
  return `SHARD_DIR ${k}`;
}

function readShard(arg: string, k: number): SweepResults {
  const flag = shardArg(k);
  if (arg.trim() === '') throw new UsageError('shard folder must not be empty', flag);
  const r = readResultsArg(arg, flag).results;
  if (!r.shard) throw new UsageError(`${shown(arg)} is a whole sweep, not a shard`, flag);
  const { index, count } = r.shard as { index: unknown; count: unknown };
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || !(1 <= (index as number) && (index as number) <= (count as number) && (count as number) <= MAX_SHARDS)) {
    throw new UsageError(`${shown(arg)} has no valid shard number (index 1 to count, count at most ${MAX_SHARDS})`, flag);
  }
  return r;
}

/** Merge shard results into the results of the whole sweep; throws UsageError on a mismatch. */
export function mergeShards(args: readonly string[]): SweepResults {
  if (args.length === 0) throw new UsageError('give the shard folders to merge', 'SHARD_DIR');
  const shards = args.map((a, i) => readShard(a, i + 1));
  const first = shards[0];
  const seen = new Map<number, string>();
  shards.forEach((s, i) => {
    const arg = args[i];
    if (s.sweep.id !== first.sweep.id || s.shard?.count !== first.shard?.count) {
      throw new UsageError(
        `${shown(arg)} is a shard of a different sweep (id ${s.sweep.id}, ${s.shard?.count} shards) than ${shown(args[0])} (id ${first.sweep.id}, ${first.shard?.count} shards)`,
        shardArg(i + 1),
      );
    }
    const idx = s.shard?.index as number;
    const prev = seen.get(idx);
    if (prev !== undefined) throw new UsageError(`shard ${idx}/${s.shard?.count} is given twice (${shown(prev)} and ${shown(arg)})`, shardArg(i + 1));
    seen.set(idx, arg);
  });
  const count = first.shard?.count as number;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new UsageError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, 'SHARD_DIR');
  const rows = shards.flatMap((s) => s.rows).map(({ accuracy: _drop, ...row }) => row);
  rows.sort((a, b) => a.index - b.index);
  return { schema: first.schema, sweep: first.sweep, rows };
}

/** The merged run's default name: the first shard folder's name without `-shard-i-of-n`. */
function defaultRun(firstShard: string): string {
  const base = basename(userPath(firstShard)).replace(/-shard-\d+-of-\d+$/, '') || 'merged';
  try {
    return checkRunName(base);
  } catch {
    throw new UsageError(`the shard folder name ${shown(base)} is no run name; give one with --run NAME`, '--run');
  }
}

/**
 * The merged report replaces the folder `out/run`: refuse when that is a shard folder being read, or
 * holds one (`--out reports --run n-shard-1-of-2`, or `--out . --run reports` above the shards),
 * since the shards would be lost.
 */
function checkNotOverShards(out: string, run: string, args: readonly string[], flag: string): void {
  for (const a of args) {
    if (isAtOrUnder(userPath(a), join(out, run))) {
      throw new UsageError(`the merged report ${shown(join(out, run))} would replace the shard folder ${shown(a)} it reads; give another --run or --out`, flag);
    }
  }
}

/** The sweep-merge command on argv; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText(
        'minimac sweep-merge [--out DIR] [--run NAME] SHARD_DIR…   (or: npm run sweep:merge -- …)',
        'Merge the shard reports of one sweep into one report. An error about a shard folder names it (SHARD_DIR k), k its position.',
        FLAGS,
        [
          'minimac sweep-merge synth-reports/2026-12-01-xc7-shard-1-of-2 synth-reports/2026-12-01-xc7-shard-2-of-2',
          'minimac sweep-merge --run nightly --out reports reports/n-shard-1-of-3 reports/n-shard-2-of-3 reports/n-shard-3-of-3',
        'minimac sweep-merge --fail-on-regression 5 DIR1 DIR2   # exit 1 when a pair grew by over 5% since the last comparable run',
        ],
      ),
    );
    return 0;
  }
  // Every check before anything is made.
  const out = typeof flags.out === 'string' ? userDir(flags.out, '--out') : SYNTH_REPORTS;
  if (typeof flags.run === 'string') checkRunName(flags.run);
  const night = nightFlags(flags, false);
  const shards = mergeShards(positional);
  const run = typeof flags.run === 'string' ? flags.run : defaultRun(positional[0]);
  checkNotOverShards(out, run, positional, typeof flags.run === 'string' ? '--run' : '--out');
  // The merge's own start: what orders it among the runs of --out (a shard's start would do as well).
  const startedAt = new Date().toISOString();
  const before = prepareNight(night, out, run, shards.sweep.params, startedAt, false);
  const merged = await addAccuracy(shards);
  const failed = merged.rows.filter((r) => !r.ok).length;
  // The report is rendered before --out is made, so shards the report cannot use leave nothing behind.
  let files: Map<string, string>;
  const generator = generatorInfo();
  let extras: ReturnType<typeof nightExtras>;
  try {
    extras = nightExtras(before, merged, run, startedAt, generator);
    const meta = { startedAt, mergedFrom: positional.length, designs: merged.rows.length, failed, generator, baseline: extras.comparison?.baseline.run ?? null };
    files = await reportFiles(merged, run, meta, extras);
  } catch (e) {
    throw new UsageError(`the shards' results do not make a report (${(e as Error).message}); are they sweep results of this version?`, 'SHARD_DIR');
  }
  ensureWritableDir(out, '--out');
  const dir = writeFolderAtomic(out, run, files);
  process.stdout.write(
    `merged ${positional.length} shards of sweep ${merged.sweep.id}: ${merged.rows.length} configurations → ${relative(userCwd(), dir) || '.'}${nightSummary(extras.comparison)}\n`,
  );
  const check = regressionCheck(before, extras.comparison, out, costName(merged));
  for (const line of check.lines) process.stderr.write(line + '\n');
  return failed || check.failed ? 1 : 0;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
