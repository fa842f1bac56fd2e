/**
 * The design-space sweep: weights × activations over a set of formats, each pair one MAC unit
 * synthesized with a fresh Yosys, results served from and written to the content-addressed cache
 * as they finish, failures kept as error rows.
 */
import { createHash } from 'node:crypto';
import { MacConfig } from '../generators/config/mac-config.ts';
import { parseFormat } from '../generators/formats/format.ts';
import { shown, UsageError } from '../generators/util/errors.ts';
import type { ResultCache } from './cache.ts';
import { YosysPool } from './pool.ts';
import { errorRecord, logTail, makeJob, RECORD_SCHEMA, SCRIPT_OUTPUTS, synthScript, toRecord, type Counts, type SideInfo } from './synth.ts';
import type { Target, TargetName } from './targets.ts';
import type { YosysEngine } from '../generators/util/yosys.ts';

/** What defines a sweep (shards of one sweep share these exactly). */
export interface SweepParams {
  readonly weights: readonly string[];
  readonly activations: readonly string[];
  readonly target: TargetName;
  readonly dsp: boolean;
  readonly engine: YosysEngine;
  readonly yosysVersion: string;
  /** --acc, when given: one accumulator width for every pair. */
  readonly acc: number | null;
  /** --len, when given: the default accumulator width covers this many products. */
  readonly len: number | null;
  /** --result, when given: every unit also converts its accumulator to this float (canonical spec, mode, q). */
  readonly result?: { readonly spec: string; readonly overflow: string; readonly pipeline: number };
  /** `--arch target` on xc7/xcup: every unit is built with that target's primitives (absent: generic RTL). */
  readonly arch?: 'xc7' | 'xcup';
}

/** One configuration's result: formats, widths, target and counts, or the error. */
export interface SweepRow {
  /** Position in the sweep's pair order (weights outer, activations inner). */
  readonly index: number;
  readonly weight: SideInfo;
  readonly activation: SideInfo;
  readonly name: string;
  readonly target: TargetName;
  readonly productWidth: number | null;
  readonly accWidth: number | null;
  readonly accFrac: number | null;
  /** The cache key (sha256 of RTL, Yosys version and script); null when the unit was never generated. */
  readonly key: string | null;
  readonly ok: boolean;
  readonly counts: Counts | null;
  readonly error: string | null;
  readonly logTail: string | null;
  /** Quantization error of the pair (issue 6), filled in at report time when quant/accuracy.ts exists. */
  accuracy?: { weightSqnrDb: number; activationSqnrDb: number; outputSqnrDb: number };
  /** With --result: the same unit without the float result (null when it failed), so the conversion's cost shows. */
  withoutResult?: { lut: number; ff: number; depth: number } | null;
}

/** results.json: the sweep's identity and its rows, sorted; nothing in it depends on time or order of finishing. */
export interface SweepResults {
  readonly schema: number;
  readonly sweep: { readonly id: string; readonly params: SweepParams; readonly script: string };
  /** Present only in the output of one shard (`--shard i/n`); a merged or whole sweep has none. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly rows: SweepRow[];
  /** Where the accuracy columns came from, when they are present. */
  accuracy?: { readonly source: string; readonly setup: string; readonly errors: readonly string[] };
}


/** Most shards a sweep splits into (the default sweep has 33² = 1089 pairs; a shard past the pairs is empty). */
export const MAX_SHARDS = 10000;

/** `--shard i/n` (1-based): which slice of the pairs this run takes. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (!m) throw new UsageError(`shard must be i/n, such as 2/4, not ${shown(text)}`, '--shard');
  const index = BigInt(m[1]);
  const count = BigInt(m[2]);
  if (count < 1n || count > BigInt(MAX_SHARDS)) throw new UsageError(`shard count must be 1 to ${MAX_SHARDS}, not ${m[2]}`, '--shard');
  if (index < 1n || index > count) throw new UsageError(`shard index must be 1 to ${count}, not ${m[1]}`, '--shard');
  return { index: Number(index), count: Number(count) };
}

/** The sweep's id: a hash of its parameters, the same for every shard. */
export function sweepId(p: SweepParams): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex').slice(0, 16);
}

/** Every (weight, activation) pair of the sweep with its index. */
export function pairs(p: SweepParams): { index: number; weight: string; activation: string }[] {
  const out: { index: number; weight: string; activation: string }[] = [];
  for (const weight of p.weights) for (const activation of p.activations) out.push({ index: out.length, weight, activation });
  return out;
}

/** The pairs one shard takes: every n-th pair, so big and small units spread evenly over shards. */
export function shardPairs<T extends { index: number }>(all: readonly T[], shard: { index: number; count: number } | null): T[] {
  return shard ? all.filter((x) => x.index % shard.count === shard.index - 1) : [...all];
}

/** The script with the unit's name left as `{top}`: every row of a sweep ran exactly this. */
export function scriptTemplate(t: Target, dsp: boolean): string {
  return synthScript('{top}.v', '{top}', t, dsp);
}

/** Progress events of a running sweep. */
export interface SweepProgress {
  /** Called once with the number of designs to synthesize (cache misses) and the number served from the cache. */
  start(toRun: number, cached: number): void;
  /** Called as each synthesized design finishes, with the seconds a runner spent on it (queueing excluded). */
  done(row: SweepRow, seconds: number): void;
  /** Called once the synthesis is over, also when it ended in an error (a TTY bar stops here). */
  end?(): void;
}

function sideOf(spec: string): SideInfo {
  const f = parseFormat(spec);
  return { spec: f.spec, kind: f.kind, bits: f.bits };
}

/** The unit request of one pair of a sweep, without the float result (`--acc`/`--len` as the sweep has them). */
export function pairUnit(p: SweepParams, weight: string, activation: string): Record<string, string | number> {
  return {
    wfmt: weight,
    afmt: activation,
    ...(p.acc !== null ? { acc: p.acc } : {}),
    ...(p.len !== null ? { len: p.len } : {}),
    ...(p.arch ? { arch: p.arch } : {}),
  };
}

/** The configuration of one pair of a sweep, the float result included when the sweep has one. */
export function pairConfig(p: SweepParams, weight: string, activation: string): MacConfig {
  const result = p.result ? { result: p.result.spec, resultOverflow: p.result.overflow, resultPipeline: p.result.pipeline } : {};
  return new MacConfig({ ...pairUnit(p, weight, activation), ...result });
}

/** Run a sweep (or one shard of it): cached pairs are read, the rest synthesized `jobs` at a time. */
export async function runSweep(
  p: SweepParams,
  t: Target,
  shard: { index: number; count: number } | null,
  cache: ResultCache,
  jobs: number,
  progress: SweepProgress,
): Promise<SweepResults> {
  const rows = new Map<number, SweepRow>();
  const todo: { index: number; job: ReturnType<typeof makeJob>['job']; verilog: string }[] = [];
  let cached = 0;
  // With --result, each pair's unit without the result too (the nightly plain sweep's cache entry,
  // when there is one): the row then shows what the conversion costs.
  const plain = new Map<number, SweepRow['withoutResult']>();
  const plainTodo: typeof todo = [];
  for (const pr of shardPairs(pairs(p), shard)) {
    const base = { index: pr.index, weight: sideOf(pr.weight), activation: sideOf(pr.activation), target: t.name };
    try {
      const unit = pairUnit(p, pr.weight, pr.activation);
      const cfg = pairConfig(p, pr.weight, pr.activation);
      const { job, verilog } = makeJob(cfg, t, p.dsp, p.engine, p.yosysVersion);
      const hit = cache.get(job.key);
      if (hit) {
        rows.set(pr.index, rowOf(pr.index, hit));
        cached++;
      } else todo.push({ index: pr.index, job, verilog });
      if (p.result) {
        const b = makeJob(new MacConfig(unit), t, p.dsp, p.engine, p.yosysVersion);
        const bh = cache.get(b.job.key);
        if (bh) {
          plain.set(pr.index, plainCounts(bh));
          cached++;
        } else plainTodo.push({ index: pr.index, job: b.job, verilog: b.verilog });
      }
    } catch (e) {
      const msg = e instanceof UsageError ? e.line() : (e as Error).message;
      rows.set(pr.index, {
        ...base,
        name: '',
        productWidth: null,
        accWidth: null,
        accFrac: null,
        key: null,
        ok: false,
        counts: null,
        error: `generation failed: ${msg}`,
        logTail: logTail((e as Error).stack ?? ''),
      });
    }
  }
  progress.start(todo.length + plainTodo.length, cached);
  if (todo.length || plainTodo.length) {
    const pool = new YosysPool(jobs, p.engine);
    // Every design is queued at once, so each is timed from when a runner takes it (onStart), not
    // from here: otherwise its seconds would include the wait for a free runner.
    const synthesize = async ({ job, verilog }: (typeof todo)[number]): Promise<{ rec: ReturnType<typeof toRecord>; seconds: number }> => {
      let t0: number | null = null;
      const seconds = () => (t0 === null ? 0 : (performance.now() - t0) / 1000);
      try {
        const r = await pool.run({ [job.file]: verilog }, job.script, SCRIPT_OUTPUTS, () => (t0 = performance.now()));
        return { rec: toRecord(job, r, t), seconds: seconds() };
      } catch (e) {
        return { rec: errorRecord(job, (e as Error).message, (e as Error).stack ?? ''), seconds: seconds() };
      }
    };
    try {
      await Promise.all([
        ...todo.map(async (x) => {
          const { rec, seconds } = await synthesize(x);
          cache.put(rec);
          const row = rowOf(x.index, rec);
          rows.set(x.index, row);
          progress.done(row, seconds);
        }),
        ...plainTodo.map(async (x) => {
          const { rec, seconds } = await synthesize(x);
          cache.put(rec);
          plain.set(x.index, plainCounts(rec));
          progress.done(rowOf(x.index, rec), seconds);
        }),
      ]);
    } finally {
      await pool.close();
      progress.end?.();
    }
  }
  if (p.result) for (const [i, row] of rows) if (row.key !== null) rows.set(i, { ...row, withoutResult: plain.get(i) ?? null });
  return {
    schema: RECORD_SCHEMA,
    sweep: { id: sweepId(p), params: p, script: scriptTemplate(t, p.dsp) },
    ...(shard ? { shard } : {}),
    rows: [...rows.values()].sort((a, b) => a.index - b.index),
  };
}

/** The figures of a unit without the result, for a row's `withoutResult` (null when it failed). */
function plainCounts(r: ReturnType<typeof toRecord>): SweepRow['withoutResult'] {
  return r.ok ? { lut: r.counts.lut, ff: r.counts.ff, depth: r.counts.depth } : null;
}

function rowOf(index: number, r: ReturnType<typeof toRecord>): SweepRow {
  return {
    index,
    weight: r.weight,
    activation: r.activation,
    name: r.name,
    target: r.target,
    productWidth: r.productWidth,
    accWidth: r.accWidth,
    accFrac: r.accFrac,
    key: r.key,
    ok: r.ok,
    counts: r.ok ? r.counts : null,
    error: r.ok ? null : r.error,
    logTail: r.ok ? null : r.logTail,
  };
}
