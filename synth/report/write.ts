/** Write a sweep's report folder `<out>/<run>/` atomically: results.json, results.csv, index.md, index.html, run.json. */
import { writeFolderAtomic } from '../../generators/util/atomic.ts';
import type { SweepResults } from '../sweep.ts';
import { indexHtml } from './html.ts';
import { indexMd, resultsCsv } from './text.ts';

/** The report files of a sweep, by name. `run` (times, cache hits) is the only part that is not deterministic. */
export async function reportFiles(r: SweepResults, run: string, meta: Record<string, unknown>): Promise<Map<string, string>> {
  return new Map([
    ['results.json', JSON.stringify(r, null, 1) + '\n'],
    ['results.csv', resultsCsv(r)],
    ['index.md', indexMd(r, run)],
    ['index.html', await indexHtml(r, run)],
    ['run.json', JSON.stringify({ run, ...meta }, null, 2) + '\n'],
  ]);
}

/** Write the report folder, replacing an older one of the same run name in one rename. */
export async function writeReport(out: string, run: string, r: SweepResults, meta: Record<string, unknown>): Promise<string> {
  return writeFolderAtomic(out, run, await reportFiles(r, run, meta));
}
