/**
 * `sweep --spot-check N`: gate-level verification of a sample of the sweep's designs. N pairs,
 * picked by index (evenly spread over the pairs that synthesized), are synthesized once more with
 * the netlist written (`synth --write-netlist`'s script), and each netlist is simulated in Verilator
 * and Icarus against its unit (`verify --netlist`), with a small stimulus. The rows, the cache and
 * the sweep's script are not touched: this runs after the sweep, beside it.
 */
import { formatReport, verifyUnit } from '../sim/verify.ts';
import { netlistOf } from '../sim/netlist.ts';
import { UsageError } from '../generators/util/errors.ts';
import { YosysPool } from './pool.ts';
import { pairConfig, type SweepParams, type SweepRow } from './sweep.ts';
import { makeJob, NETLIST_OUTPUT, SCRIPT_OUTPUTS, logTail } from './synth.ts';
import type { Target } from './targets.ts';

/** Stimulus of one spot check: every pair where they fit in 2^16 (else this many random), plus this many random edges. */
export const SPOT_STIMULUS = { seed: 1, beats: 5000, pairs: 5000 } as const;

/** One spot-checked design and what gate-level verification said of it. */
export interface SpotCheck {
  /** The pair's index in the sweep (weights outer, activations inner). */
  readonly index: number;
  readonly weight: string;
  readonly activation: string;
  readonly name: string;
  /** The netlist's file in the report folder, when Yosys wrote one. */
  readonly netlist: string | null;
  /** PASS or FAIL from verify; ERROR when no verdict was reached (Yosys failed, no cell models, a tool error). */
  readonly result: 'PASS' | 'FAIL' | 'ERROR';
  /** verify's PASS/FAIL line, or the error. */
  readonly detail: string;
  /** verify's whole report (the first mismatches on a FAIL), or the log tail of an error. */
  readonly report: string;
  readonly seconds: number;
}

/** What a report folder gets from the spot checks: the checks, and the netlists by file name. */
export interface SpotCheckReport {
  /** The stimulus every check ran (verify's --seed, --beats, --pairs). */
  readonly stimulus: typeof SPOT_STIMULUS;
  readonly checks: readonly SpotCheck[];
  readonly netlists: Readonly<Record<string, string>>;
}

/** `--spot-check N`: 0 to 1000 designs (0, the default, is none). */
export function spotCheckFlag(v: string | true | undefined): number {
  if (v === undefined) return 0;
  const text = typeof v === 'string' ? v.trim() : '';
  if (!/^[0-9]+$/.test(text) || Number(text) > 1000) throw new UsageError(`spot check count must be an integer from 0 to 1000, not '${String(v)}'`, '--spot-check');
  return Number(text);
}

/**
 * The rows to check: `n` of the synthesized rows, by position `floor(i · count / n)` in index order,
 * so the same sweep always checks the same pairs and they spread over the whole format range.
 */
export function spotRows(rows: readonly SweepRow[], n: number): SweepRow[] {
  const ok = rows.filter((r) => r.ok).sort((a, b) => a.index - b.index);
  const k = Math.min(n, ok.length);
  return Array.from({ length: k }, (_, i) => ok[Math.floor((i * ok.length) / k)]);
}

/** Synthesize each picked design with its netlist and verify the netlist; `onDone` hears of each as it ends. */
export async function spotCheck(p: SweepParams, t: Target, rows: readonly SweepRow[], n: number, onDone: (c: SpotCheck, i: number, of: number) => void): Promise<SpotCheckReport> {
  const picked = spotRows(rows, n);
  const checks: SpotCheck[] = [];
  const netlists: Record<string, string> = {};
  const pool = new YosysPool(1, p.engine);
  try {
    for (const row of picked) {
      const t0 = performance.now();
      const base = { index: row.index, weight: row.weight.spec, activation: row.activation.spec, name: row.name };
      let check: SpotCheck;
      try {
        const cfg = pairConfig(p, row.weight.spec, row.activation.spec);
        const { job, verilog } = makeJob(cfg, t, p.dsp, p.engine, p.yosysVersion, true);
        const res = await pool.run({ [job.file]: verilog }, job.script, [...SCRIPT_OUTPUTS, NETLIST_OUTPUT]);
        const text = res.outputs[NETLIST_OUTPUT];
        if (res.code !== 0 || text === undefined) throw new Error(`Yosys wrote no netlist (exit ${res.code}):\n${logTail(res.log)}`);
        const file = `${cfg.name}.netlist.v`;
        netlists[file] = text;
        const r = await verifyUnit(cfg, { ...SPOT_STIMULUS, sims: ['verilator', 'iverilog'], netlist: await netlistOf(file, text, cfg.name, []), vcd: false });
        const report = formatReport(r);
        check = { ...base, netlist: file, result: r.pass ? 'PASS' : 'FAIL', detail: report.split('\n')[0], report, seconds: 0 };
      } catch (e) {
        const msg = e instanceof UsageError ? e.message : (e as Error).message;
        check = { ...base, netlist: netlists[`${row.name}.netlist.v`] !== undefined ? `${row.name}.netlist.v` : null, result: 'ERROR', detail: msg.split('\n')[0], report: logTail(msg, 40), seconds: 0 };
      }
      check = { ...check, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
      checks.push(check);
      onDone(check, checks.length, picked.length);
    }
  } finally {
    await pool.close();
  }
  return { stimulus: SPOT_STIMULUS, checks, netlists };
}
