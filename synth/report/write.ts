/**
 * Write a sweep's report folder `<out>/<run>/` atomically: results.json, results.csv, index.md,
 * index.html, run.json, and with a baseline compare.json, with earlier comparable runs history.json,
 * with `--spot-check` spot-check.json and the checked netlists (`<name>.netlist.v`).
 */
import { writeFolderAtomic } from '../../generators/util/atomic.ts';
import type { ReportExtras } from '../baseline.ts';
import type { SweepResults } from '../sweep.ts';
import { indexHtml } from './html.ts';
import { indexMd, resultsCsv } from './text.ts';

/**
 * The report files of a sweep, by name. `run` (times, cache hits) is the only part that is not
 * deterministic. The extras only add files and sections: results.json and results.csv are the same
 * bytes with or without them.
 */
export async function reportFiles(r: SweepResults, run: string, meta: Record<string, unknown>, extras: ReportExtras = {}): Promise<Map<string, string>> {
  const files = new Map([
    ['results.json', JSON.stringify(r, null, 1) + '\n'],
    ['results.csv', resultsCsv(r)],
    ['index.md', indexMd(r, run, extras)],
    ['index.html', await indexHtml(r, run, extras)],
    ['run.json', JSON.stringify({ run, ...meta }, null, 2) + '\n'],
  ]);
  if (extras.comparison) files.set('compare.json', JSON.stringify(extras.comparison, null, 1) + '\n');
  if (extras.history) files.set('history.json', JSON.stringify(extras.history, null, 1) + '\n');
  if (extras.spotChecks) {
    files.set('spot-check.json', JSON.stringify({ stimulus: extras.spotChecks.stimulus, checks: extras.spotChecks.checks }, null, 1) + '\n');
    for (const [name, text] of Object.entries(extras.spotChecks.netlists)) files.set(name, text);
  }
  return files;
}

/** Write the report folder, replacing an older one of the same run name in one rename. */
export async function writeReport(out: string, run: string, r: SweepResults, meta: Record<string, unknown>, extras: ReportExtras = {}): Promise<string> {
  return writeFolderAtomic(out, run, await reportFiles(r, run, meta, extras));
}
