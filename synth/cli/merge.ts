/**
 * `npm run sweep:merge -- [--out DIR] [--run NAME] SHARD…`: merge the report folders of the shards
 * of one sweep (`npm run sweep -- --shard i/n`) into one report. Shards of different sweeps, a
 * shard given twice or a missing shard are bad input (exit 2).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { helpText, parseArgs, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { ensureWritableDir } from '../../generators/util/atomic.ts';
import { SYNTH_REPORTS, userPath } from '../../generators/util/paths.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { RECORD_SCHEMA } from '../synth.ts';
import type { SweepResults } from '../sweep.ts';
import { addAccuracy } from '../accuracy.ts';
import { writeReport } from '../report/write.ts';

const FLAGS: Record<string, FlagSpec> = {
  out: { value: true, arg: 'DIR', help: 'folder of report folders (default synth-reports/)' },
  run: { value: true, arg: 'NAME', help: 'name of the merged report folder (default: the shards\' name without -shard-i-of-n)' },
  help: { value: false, help: 'show this help' },
};

function readShard(arg: string): SweepResults {
  const path = userPath(arg);
  const file = path.endsWith('.json') ? path : join(path, 'results.json');
  let r: SweepResults;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as SweepResults;
  } catch (e) {
    throw new UsageError(`cannot read a sweep result from '${arg}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, arg);
  }
  if (r.schema !== RECORD_SCHEMA || !r.sweep || !Array.isArray(r.rows)) throw new UsageError(`'${arg}' is not a sweep result of schema ${RECORD_SCHEMA}`, arg);
  if (!r.shard) throw new UsageError(`'${arg}' is a whole sweep, not a shard`, arg);
  return r;
}

/** Merge shard results into the results of the whole sweep; throws UsageError on a mismatch. */
export function mergeShards(args: readonly string[]): SweepResults {
  if (args.length === 0) throw new UsageError('give the shard folders to merge', 'SHARD');
  const shards = args.map(readShard);
  const first = shards[0];
  const seen = new Map<number, string>();
  shards.forEach((s, i) => {
    const arg = args[i];
    if (s.sweep.id !== first.sweep.id || s.shard?.count !== first.shard?.count) {
      throw new UsageError(
        `'${arg}' is a shard of a different sweep (id ${s.sweep.id}, ${s.shard?.count} shards) than '${args[0]}' (id ${first.sweep.id}, ${first.shard?.count} shards)`,
        arg,
      );
    }
    const idx = s.shard?.index as number;
    const prev = seen.get(idx);
    if (prev !== undefined) throw new UsageError(`shard ${idx}/${s.shard?.count} is given twice ('${prev}' and '${arg}')`, arg);
    seen.set(idx, arg);
  });
  const count = first.shard?.count as number;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new UsageError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, 'SHARD');
  const rows = shards.flatMap((s) => s.rows).map(({ accuracy: _drop, ...row }) => row);
  rows.sort((a, b) => a.index - b.index);
  return { schema: first.schema, sweep: first.sweep, rows };
}

/** The sweep-merge command on argv; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText('minimac sweep-merge [--out DIR] [--run NAME] SHARD_DIR…   (or: npm run sweep:merge -- …)', 'Merge the shard reports of one sweep into one report.', FLAGS, [
        'minimac sweep-merge synth-reports/2026-12-01-xc7-shard-1-of-2 synth-reports/2026-12-01-xc7-shard-2-of-2',
        'minimac sweep-merge --run nightly --out reports reports/n-shard-1-of-3 reports/n-shard-2-of-3 reports/n-shard-3-of-3',
      ]),
    );
    return 0;
  }
  const merged = await addAccuracy(mergeShards(positional));
  const out = typeof flags.out === 'string' ? userPath(flags.out) : SYNTH_REPORTS;
  const run =
    typeof flags.run === 'string'
      ? flags.run
      : (positional[0].replace(/\/+$/, '').split('/').pop() ?? 'merged').replace(/-shard-\d+-of-\d+$/, '') || 'merged';
  if (!/^[A-Za-z0-9._-]+$/.test(run)) throw new UsageError(`run name must be letters, digits, '.', '_' or '-', not '${run}'`, '--run');
  ensureWritableDir(out, '--out');
  const failed = merged.rows.filter((r) => !r.ok).length;
  const dir = writeReport(out, run, merged, { mergedFrom: positional.length, designs: merged.rows.length, failed });
  process.stdout.write(`merged ${positional.length} shards of sweep ${merged.sweep.id}: ${merged.rows.length} configurations → ${relative(process.env.INIT_CWD ?? process.cwd(), dir) || '.'}\n`);
  return failed ? 1 : 0;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
