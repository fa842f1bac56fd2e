/**
 * Night after night (issue 13): this sweep against an earlier one. The baseline is a report folder
 * given with `--baseline`, or by default the newest earlier comparable run in `--out`; each pair ok
 * in both runs gets its change in cost (LUTs, or gates), FFs and depth, and a pair that grew by
 * more than a threshold percent is a regression. The history gathers the same-format pairs'
 * figures of every comparable run in `--out`, so a Yosys upgrade or a generator change shows as a
 * step. Nothing here touches results.json or results.csv: they stay byte-identical with or
 * without a baseline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GENERATOR, gitCommit } from '../generators/util/about.ts';
import { shown, UsageError } from '../generators/util/errors.ts';
import { decimalNumber } from '../generators/util/numbers.ts';
import { userPath } from '../generators/util/paths.ts';
import { cost, diagonal, okRows, type OkRow } from './report/tables.ts';
import { RECORD_SCHEMA } from './synth.ts';
import type { SweepParams, SweepResults } from './sweep.ts';
import type { SpotCheckReport } from './spot-check.ts';

/** Who made a run: the generator's package version and git commit (null outside a git checkout). */
export interface GeneratorInfo { readonly version: string; readonly commit: string | null }
/** One figure before and after: change = after − before; pct = 100·change/before, null when before is 0. */
export interface Delta { readonly before: number; readonly after: number; readonly change: number; readonly pct: number | null }
/** One pair present and ok in both runs. */
export interface PairChange { readonly weight: string; readonly activation: string; readonly name: string; readonly lut: Delta; readonly ff: Delta; readonly depth: Delta; readonly regression: boolean }
/** This run against its baseline. */
export interface Comparison {
  readonly baseline: { readonly run: string; readonly startedAt: string | null; readonly sweepId: string; readonly yosysVersion: string; readonly generator: GeneratorInfo | null };
  readonly thresholdPct: number;
  readonly rows: readonly PairChange[];        // every pair ok in both, in this sweep's order
  readonly regressions: readonly PairChange[]; // rows with regression
  readonly onlyNow: readonly string[];         // 'W × A' pairs only in this run
  readonly onlyBefore: readonly string[];      // only in the baseline
}
/** One same-format pair's figures in one run, for the history view. */
export interface HistoryPoint { readonly run: string; readonly startedAt: string | null; readonly format: string; readonly lut: number; readonly ff: number; readonly depth: number; readonly yosysVersion: string; readonly generator: GeneratorInfo | null }

/** The same sweep on another target of one run (`--target xc7,xcup`), for the comparison across targets. */
export interface TargetRun { readonly target: string; readonly results: SweepResults }

/** What a report may carry besides the sweep itself: the comparison with a baseline, the history, the other targets. */
export interface ReportExtras {
  readonly comparison?: Comparison;
  readonly history?: HistoryPoint[];
  /** Every target of a multi-target run, this one included, in the order given (absent for one target). */
  readonly targets?: readonly TargetRun[];
  /** `--spot-check N`: the gate-level checks of a sample of the designs, and their netlists. */
  readonly spotChecks?: SpotCheckReport;
}

/** The three figures a comparison follows, with the names the report and the stderr lines use. */
export const FIGURES = ['lut', 'ff', 'depth'] as const;
/** One of {@link FIGURES}. */
export type Figure = (typeof FIGURES)[number];

/** `--regression-threshold` when not given: a pair that grew by more than 2% is a regression. */
export const DEFAULT_THRESHOLD_PCT = 2;

/**
 * This generator: package.json's version and the commit of the package's folder. The commit is
 * read from `.git` of the package's own folder (as `minimac --version` does, no `git` process
 * needed), so a copy installed inside some other repository records null, never that repository's
 * HEAD.
 */
export function generatorInfo(): GeneratorInfo {
  const commit = gitCommit();
  return { version: GENERATOR.version, commit: commit === 'unknown' ? null : commit };
}

/** A percent flag (`--regression-threshold`, `--fail-on-regression`): a plain decimal ≥ 0, finite. */
export function parsePercent(text: string, flag: string): number {
  const v = decimalNumber(text);
  // decimalNumber refuses exponents, NaN, Infinity and blanks; 400 digits still overflow to Infinity.
  if (v === null || !Number.isFinite(v) || v < 0) throw new UsageError(`regression threshold must be a number of percent ≥ 0, not ${shown(text)}`, flag);
  return v + 0; // -0 reads as 0
}

/** Whether parsed JSON has the shape of sweep results: the fields the merge and the report read. */
export function isSweepResults(r: unknown): r is SweepResults {
  if (r === null || typeof r !== 'object') return false;
  const x = r as Partial<SweepResults>;
  const p = x.sweep?.params as Partial<SweepParams> | undefined;
  return (
    x.schema === RECORD_SCHEMA &&
    typeof x.sweep?.id === 'string' &&
    typeof x.sweep.script === 'string' &&
    typeof p === 'object' &&
    p !== null &&
    Array.isArray(p.weights) &&
    Array.isArray(p.activations) &&
    Array.isArray(x.rows)
  );
}

const count = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

/** Whether every row has what a comparison reads: both specs, ok, and for an ok row its counts. */
function rowsComparable(r: SweepResults): boolean {
  return r.rows.every((x: unknown) => {
    const row = x as Partial<SweepResults['rows'][number]> | null;
    if (row === null || typeof row !== 'object' || typeof row.weight?.spec !== 'string' || typeof row.activation?.spec !== 'string' || typeof row.ok !== 'boolean') return false;
    const c = row.counts as Record<string, unknown> | null | undefined;
    return !row.ok || (c !== null && typeof c === 'object' && count(c.lut) && count(c.gates) && count(c.ff) && count(c.depth));
  });
}

/**
 * Read a sweep result named on the command line: a report folder (its results.json) or the file
 * itself. Unreadable or of another shape is bad input naming `flag`.
 */
export function readResultsArg(arg: string, flag: string): { file: string; results: SweepResults } {
  const path = userPath(arg);
  const file = path.endsWith('.json') ? path : join(path, 'results.json');
  let results: unknown;
  try {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read a sweep result from ${shown(arg)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, flag);
  }
  if (!isSweepResults(results)) throw new UsageError(`${shown(arg)} is not a sweep result of schema ${RECORD_SCHEMA}`, flag);
  return { file, results };
}

/** The parameters that must agree for two sweeps to compare; Yosys, engine and format lists may differ. */
function comparedParams(p: SweepParams): Record<string, string> {
  const r = p.result;
  return {
    target: `target ${p.target}`,
    dsp: p.dsp ? 'DSPs allowed' : 'LUT-only',
    acc: `acc ${p.acc ?? 'default'}`,
    len: `len ${p.len ?? 'default'}`,
    result: `result ${r ? `${r.spec} (${r.overflow}, q ${r.pipeline})` : 'none'}`,
    arch: `arch ${p.arch ?? 'generic'}`,
  };
}

/**
 * How the baseline's parameters differ from this sweep's where they must agree, as
 * `acc 13 there, acc 12 here` parts; empty when the two compare. A Yosys upgrade, the other
 * engine or other format lists still compare: that is what the comparison is for.
 */
export function incomparable(before: SweepParams, now: SweepParams): string[] {
  const [b, n] = [comparedParams(before), comparedParams(now)];
  return Object.keys(n).filter((k) => b[k] !== n[k]).map((k) => `${b[k]} there, ${n[k]} here`);
}

/** One report folder read from disk: its name, start time, generator and results. */
export interface RunOnDisk {
  readonly run: string;
  readonly startedAt: string | null;
  readonly generator: GeneratorInfo | null;
  readonly results: SweepResults;
}

/** startedAt and generator from a report folder's run.json; null for what is missing or malformed. */
function readRunJson(dir: string): { startedAt: string | null; generator: GeneratorInfo | null } {
  let j: { startedAt?: unknown; generator?: { version?: unknown; commit?: unknown } | null };
  try {
    j = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as typeof j;
    if (j === null || typeof j !== 'object') throw new Error('not an object');
  } catch {
    return { startedAt: null, generator: null };
  }
  const startedAt = typeof j.startedAt === 'string' && Number.isFinite(Date.parse(j.startedAt)) ? j.startedAt : null;
  const g = j.generator;
  const generator =
    g !== null && typeof g === 'object' && typeof g.version === 'string' && (typeof g.commit === 'string' || g.commit === null) ? { version: g.version, commit: g.commit } : null;
  return { startedAt, generator };
}

/**
 * The baseline named by `--baseline` (a report folder or its results.json), checked: a whole
 * sweep (not a shard), whose rows can be compared, of the same target, DSP use, --acc, --len and
 * --result as `now`. The run is named after its folder (a copy renamed `night-1` is `night-1`,
 * whatever its run.json says), so no machine path goes into the report.
 */
export function readBaseline(arg: string, now: SweepParams, flag = '--baseline'): RunOnDisk {
  if (arg.trim() === '') throw new UsageError(`baseline must be a report folder, its results.json or none, not ${shown(arg)}`, flag);
  const { file, results } = readResultsArg(arg, flag);
  if (!rowsComparable(results)) throw new UsageError(`${shown(arg)} is not a sweep result of schema ${RECORD_SCHEMA}`, flag);
  if (results.shard) throw new UsageError(`${shown(arg)} is shard ${results.shard.index}/${results.shard.count} of a sweep; compare with the merged report`, flag);
  const diff = incomparable(results.sweep.params, now);
  if (diff.length) {
    throw new UsageError(`${shown(arg)} is a sweep of other parameters (${diff.join('; ')}); a baseline must have the same target, DSP use, --acc, --len and --result`, flag);
  }
  const dir = dirname(file);
  return { run: basename(dir), ...readRunJson(dir), results };
}

/** A run's same-format pairs as history points. */
function historyOf(run: string, startedAt: string | null, generator: GeneratorInfo | null, r: SweepResults): HistoryPoint[] {
  const yosysVersion = r.sweep.params.yosysVersion;
  return diagonal(r).map((x) => ({ run, startedAt, format: x.weight.spec, lut: cost(x), ff: x.counts.ff, depth: x.counts.depth, yosysVersion, generator }));
}

/** The earlier comparable runs of an `--out` folder: the newest in full, every one's history points. */
export interface EarlierRuns {
  /** The newest earlier comparable run: the default baseline; null when there is none. */
  readonly newest: RunOnDisk | null;
  /** How many earlier comparable runs there are. */
  readonly count: number;
  /** Their same-format pairs, oldest run first. */
  readonly history: readonly HistoryPoint[];
}

/**
 * Scan `out` for the report folders comparable with this sweep and started before it: every
 * visible folder but this run's own (which this run replaces) whose results.json is a whole sweep
 * of the same target, DSP use, --acc, --len and --result, ordered by run.json's startedAt (a run
 * without one cannot be placed and is left out). Anything unreadable is skipped: a stray folder in
 * `--out` never fails a nightly. Only the newest run's results are kept, so a year of nights costs
 * one report's memory plus their same-format points.
 */
export function earlierRuns(out: string, run: string, now: SweepParams, startedAt: string): EarlierRuns {
  let names: string[];
  try {
    names = readdirSync(out).sort();
  } catch {
    return { newest: null, count: 0, history: [] };
  }
  const before = Date.parse(startedAt);
  const found: { at: number; run: string; points: HistoryPoint[] }[] = [];
  let newest: (RunOnDisk & { at: number }) | null = null;
  // Hidden names are the cache and the temporary folders of reports being written.
  for (const name of names.filter((n) => !n.startsWith('.') && n !== run)) {
    const dir = join(out, name);
    let results: unknown;
    try {
      results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!isSweepResults(results) || !rowsComparable(results) || results.shard || incomparable(results.sweep.params, now).length) continue;
    const meta = readRunJson(dir);
    const at = meta.startedAt === null ? NaN : Date.parse(meta.startedAt);
    if (!(at < before)) continue;
    found.push({ at, run: name, points: historyOf(name, meta.startedAt, meta.generator, results) });
    // Equal start times: the later name wins, as in the order below.
    if (!newest || at >= newest.at) newest = { run: name, ...meta, results, at };
  }
  found.sort((a, b) => a.at - b.at || (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
  const best = newest && { run: newest.run, startedAt: newest.startedAt, generator: newest.generator, results: newest.results };
  return { newest: best, count: found.length, history: found.flatMap((f) => f.points) };
}

/** One figure's delta. */
export function delta(before: number, after: number): Delta {
  const change = after - before;
  return { before, after, change, pct: before === 0 ? null : (100 * change) / before };
}

/**
 * Whether a figure grew by more than `pct` percent. Growth from 0 is more than any percent.
 * Compared as 100·change > pct·before rather than through the rounded quotient, so 40 → 44
 * against 10% is exactly 10%, not a regression.
 */
export function grewBeyond(d: Delta, pct: number): boolean {
  return d.change > 0 && (d.before === 0 || 100 * d.change > pct * d.before);
}

/** The figures of a pair that grew by more than `pct` percent. */
export function grownFigures(c: PairChange, pct: number): Figure[] {
  return FIGURES.filter((f) => grewBeyond(c[f], pct));
}

const pairKey = (w: string, a: string): string => `${w} × ${a}`;

/**
 * This run against the baseline: pairs matched by (weight spec, activation spec); every pair ok in
 * both compared in this sweep's order; pairs in one run only listed. A pair that failed in either
 * run is neither compared nor listed: its failure is in that run's own report.
 */
export function compareRuns(now: SweepResults, base: RunOnDisk, thresholdPct: number): Comparison {
  const key = (x: { weight: { spec: string }; activation: { spec: string } }) => pairKey(x.weight.spec, x.activation.spec);
  const beforeAll = new Set(base.results.rows.map(key));
  const nowAll = new Set(now.rows.map(key));
  const beforeOk = new Map<string, OkRow>(okRows(base.results).map((x) => [key(x), x]));
  const rows: PairChange[] = [];
  for (const x of okRows(now)) {
    const b = beforeOk.get(key(x));
    if (!b) continue;
    const lut = delta(cost(b), cost(x));
    const ff = delta(b.counts.ff, x.counts.ff);
    const depth = delta(b.counts.depth, x.counts.depth);
    const regression = [lut, ff, depth].some((d) => grewBeyond(d, thresholdPct));
    rows.push({ weight: x.weight.spec, activation: x.activation.spec, name: x.name, lut, ff, depth, regression });
  }
  const p = base.results.sweep.params;
  return {
    baseline: { run: base.run, startedAt: base.startedAt, sweepId: base.results.sweep.id, yosysVersion: p.yosysVersion, generator: base.generator },
    thresholdPct,
    rows,
    regressions: rows.filter((x) => x.regression),
    onlyNow: [...nowAll].filter((k) => !beforeAll.has(k)),
    onlyBefore: [...beforeAll].filter((k) => !nowAll.has(k)),
  };
}

/** Whether any of a pair's three figures changed. */
export function changed(c: PairChange): boolean {
  return FIGURES.some((f) => c[f].change !== 0);
}

/** How a report names a figure: LUT (gates on the gates target), FF, depth. */
export function figureName(f: Figure, costName: string): string {
  return f === 'lut' ? (costName === 'gates' ? 'gates' : 'LUT') : f === 'ff' ? 'FF' : 'depth';
}

/** A delta as `40 → 44 (+10.0%)`; growth from 0 reads `(from 0)`. */
export function deltaText(d: Delta): string {
  const pct = d.pct === null ? (d.change === 0 ? '' : ' (from 0)') : ` (${d.pct > 0 ? '+' : ''}${d.pct.toFixed(1)}%)`;
  return `${d.before} → ${d.after}${pct}`;
}

/**
 * The stderr lines of `--fail-on-regression PCT`: one per pair with a figure grown by more than
 * PCT, naming those figures: `regression: e2m1 × int3: LUT 40 → 44 (+10.0%)`.
 */
export function regressionLines(c: Comparison, pct: number, costName: string): string[] {
  return c.rows.flatMap((x) => {
    const grown = grownFigures(x, pct);
    return grown.length ? [`regression: ${pairKey(x.weight, x.activation)}: ${grown.map((f) => `${figureName(f, costName)} ${deltaText(x[f])}`).join(', ')}`] : [];
  });
}

/** The baseline flags as a command read them, before any sweep runs. */
export interface NightFlags {
  /** `--baseline`'s text: undefined for the default search, null for `none`. */
  readonly baseline: string | null | undefined;
  readonly thresholdPct: number;
  /** `--fail-on-regression PCT`, or null. */
  readonly failPct: number | null;
}

/**
 * Read `--baseline`, `--regression-threshold` and `--fail-on-regression`. A threshold with no
 * baseline to apply it to is bad input rather than a silent no-op: after `--baseline none`, and on
 * a shard, which takes no default baseline (its merge does).
 */
export function nightFlags(flags: Readonly<Record<string, string | true>>, shard: boolean): NightFlags {
  const text = (k: string): string | undefined => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const th = text('regression-threshold');
  const fail = text('fail-on-regression');
  const thresholdPct = th === undefined ? DEFAULT_THRESHOLD_PCT : parsePercent(th, '--regression-threshold');
  const failPct = fail === undefined ? null : parsePercent(fail, '--fail-on-regression');
  const b = text('baseline');
  const baseline = b === 'none' ? null : b;
  for (const [given, flag] of [
    [fail, '--fail-on-regression'],
    [th, '--regression-threshold'],
  ] as const) {
    if (given === undefined) continue;
    if (baseline === null) throw new UsageError(`${flag} needs a baseline, and --baseline none turns it off`, flag);
    if (shard && baseline === undefined) throw new UsageError(`a shard takes no default baseline: give --baseline, or check the merged report with sweep-merge`, flag);
  }
  return { baseline, thresholdPct, failPct };
}

/** The baseline and the earlier runs of a sweep about to run, found and checked before it runs. */
export interface Night {
  readonly flags: NightFlags;
  /** The baseline (given or found); null when there is none. */
  readonly baseline: RunOnDisk | null;
  readonly earlier: EarlierRuns;
}

/**
 * Find what this run compares with, before the sweep: the `--baseline` given (checked against
 * `now`), else the newest earlier comparable run in `out`, else none. A shard neither searches
 * for a baseline nor gathers a history: its merge does both for the whole sweep.
 */
export function prepareNight(f: NightFlags, out: string, run: string, now: SweepParams, startedAt: string, shard: boolean): Night {
  const given = typeof f.baseline === 'string' ? readBaseline(f.baseline, now) : null;
  const earlier = shard ? { newest: null, count: 0, history: [] } : earlierRuns(out, run, now, startedAt);
  const baseline = f.baseline === null ? null : (given ?? earlier.newest);
  return { flags: f, baseline, earlier };
}

/**
 * The report extras of a finished sweep: the comparison when there is a baseline; the history
 * when at least one earlier comparable run exists (a single point plots nothing, and a first
 * night's report keeps exactly the five files it always had), this run last.
 */
export function nightExtras(n: Night, r: SweepResults, run: string, startedAt: string, generator: GeneratorInfo): ReportExtras {
  return {
    ...(n.baseline ? { comparison: compareRuns(r, n.baseline, n.flags.thresholdPct) } : {}),
    ...(n.earlier.count > 0 ? { history: [...n.earlier.history, ...historyOf(run, startedAt, generator, r)] } : {}),
  };
}

/** The part of the summary line about the baseline: `; against night-1: 2 changed, 1 regression (> 2%)`. */
export function nightSummary(c: Comparison | undefined): string {
  if (!c) return '';
  const n = c.regressions.length;
  return `; against ${c.baseline.run}: ${c.rows.filter(changed).length} of ${c.rows.length} pairs changed, ${n} regression${n === 1 ? '' : 's'} (> ${c.thresholdPct}%)`;
}

/**
 * After the report is written, with `--fail-on-regression PCT`: the stderr lines of the pairs
 * grown by more than PCT (`failed`: the command exits 1), or a warning when there was nothing to
 * compare with (a first night passes).
 */
export function regressionCheck(n: Night, c: Comparison | undefined, out: string, costName: string): { lines: string[]; failed: boolean } {
  if (n.flags.failPct === null) return { lines: [], failed: false };
  if (!c) return { lines: [`warning: no earlier comparable run in ${shown(out)} to check for regressions (--fail-on-regression)`], failed: false };
  const lines = regressionLines(c, n.flags.failPct, costName);
  return { lines, failed: lines.length > 0 };
}
