/**
 * `npm run bench:mutants`: the mutation score of `verify` (issue 12, item 5). Every operator of
 * bench/mutation/operators.ts is planted into every unit of {@link UNITS} where it applies; each
 * mutant is compiled by Icarus (`-g2001`, the validity check) and verified in Verilator with the
 * CI matrix's stimulus (sim/presets.ts), optionally in Icarus too. A mutant is caught when verify
 * fails it, missed when verify passes it, invalid when a simulator cannot compile it (reported
 * apart, never counted as caught). Prints the table by kind and by operator, the total share, and
 * every missed, invalid and stale case. With --formal each valid mutant is also given to the formal
 * check (sim/formal.ts proveReference: the unit against bench/reference for every state and input);
 * it is caught there when the proof FAILS, missed when it is PROVEN, and UNKNOWN (time limit) is
 * counted apart, never as caught.
 *
 * Flags: --quick (one mutant per kind, for CI), --per-operator (one mutant per operator: its first
 * unit), --formal (the formal check too), --kind K[,K…] (kinds or operator names),
 * --unit-filter S (units whose label or name contains S), --icarus (verify in Icarus too),
 * --jobs N (1 or 2), --json (machine output). A full run (no --quick, --kind, --unit-filter)
 * also writes its table to bench/results/mutants.txt.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MacConfig, type MacRequest } from '../generators/config/mac-config.ts';
import { generateVerilog } from '../generators/generate.ts';
import { parseArgs, noPositional } from '../generators/cli/args.ts';
import { isMain, runCommand } from '../generators/cli/main.ts';
import { runTool } from '../generators/util/deadline.ts';
import { UsageError } from '../generators/util/errors.ts';
import { projectFile } from '../generators/util/paths.ts';
import { pool } from '../generators/util/pool.ts';
import { MATRIX_ICARUS, MATRIX_VERILATOR } from '../sim/presets.ts';
import type { Simulator } from '../sim/tools.ts';
import { diffLine, KINDS, mutate, OPERATORS, operatorsNamed, type Kind, type Operator } from './mutation/operators.ts';

/**
 * The units mutated: same-format minifloats and integers of 3–8 bits, mixed pairs, wide
 * accumulators, wrap and sat, RNE, lanes, pipelines, formats with specials and float results.
 * Cheap units come first, so `--quick` (the first unit each kind applies to) stays fast.
 */
export const UNITS: readonly MacRequest[] = [
  { fmt: 'e2m1', acc: 8 },
  { fmt: 'e2m1', lanes: 2 },
  { fmt: 'e2m1', acc: 8, result: 'e3m2', resultPipeline: 2 },
  { fmt: 'e1m2' },
  { fmt: 'e3m0', acc: 12, accRound: 'rne' },
  { fmt: 'int3' },
  { fmt: 'int4', acc: 8, overflow: 'sat' },
  { fmt: 'uint4', pipeline: 1 },
  { fmt: 'e3m2' },
  { fmt: 'e2m3', pipeline: 1 },
  { afmt: 'uint4', wfmt: 'e2m1' },
  { afmt: 'e4m3', wfmt: 'int4' },
  { afmt: 'e5m2ieee', wfmt: 'int4' },
  { afmt: 'int8', wfmt: 'e2m1', pipeline: 2 },
  { fmt: 'e4m3', acc: 16 },
  { fmt: 'e4m3', acc: 16, accRound: 'rne', overflow: 'sat' },
  { fmt: 'e4m3fn' },
  { fmt: 'e4m3fnuz', acc: 16 },
  { fmt: 'e5m2ieee', acc: 20, accRound: 'rne', overflow: 'sat' },
  { afmt: 'e5m2ieee', wfmt: 'e4m3fn', pipeline: 1 },
  { fmt: 'e3m4', acc: 12, accRound: 'rne' },
  { fmt: 'int8' },
  { fmt: 'int8', acc: 12, accRound: 'rne', overflow: 'sat' },
  { fmt: 'int8', lanes: 2, pipeline: 4 },
  { afmt: 'e5m2', wfmt: 'e4m3', acc: 20, accRound: 'rne' },
  { fmt: 'e5m2' },
  { fmt: 'e5m2', acc: 40, overflow: 'sat' },
  { fmt: 'e3m2', lanes: 3, acc: 29, accFrac: 3, accRound: 'rne', overflow: 'sat', pipeline: 3 },
  { fmt: 'e4m3fn', lanes: 4, pipeline: 2 },
  { fmt: 'int4', lanes: 16, pipeline: 2 },
  { fmt: 'e2m1', lanes: 16, overflow: 'sat' },
  { fmt: 'e4m3', result: 'fp32' },
  { fmt: 'e4m3', acc: 16, result: 'bf16' },
  { fmt: 'int8', acc: 24, result: 'e4m3fn' },
  { fmt: 'e4m3fn', result: 'e4m3fn', resultOverflow: 'inf' },
  { fmt: 'e5m2ieee', result: 'fp16', resultOverflow: 'inf' },
  { fmt: 'e4m3', result: 'e4m3', resultPipeline: 1 },
  { fmt: 'e2m1', lanes: 16, result: 'e2m3' },
  { afmt: 'e4m3fnuz', wfmt: 'int4', result: 'e4m3fnuz', pipeline: 1 },
];

/** The flag of each request field, for labels. */
const FLAG: Record<string, string> = {
  fmt: '--fmt', afmt: '--afmt', wfmt: '--wfmt', acc: '--acc', accFrac: '--acc-frac', accRound: '--acc-round', overflow: '--overflow',
  len: '--len', pipeline: '--pipeline', lanes: '--lanes', result: '--result', resultOverflow: '--result-overflow', resultPipeline: '--result-pipeline',
};

/** A unit as the gen flags that make it (`--fmt e4m3 --acc 16`). */
export function unitLabel(req: MacRequest): string {
  return Object.entries(req)
    .map(([k, v]) => `${FLAG[k] ?? `--${k}`} ${v}`)
    .join(' ');
}

/** One (unit, operator) pair to verify. */
export interface Task {
  readonly label: string;
  readonly cfg: MacConfig;
  readonly op: Operator;
  readonly original: string;
  readonly mutant: string;
}

/** What planting gave over the chosen units and operators, before any simulation. */
export interface Plan {
  readonly tasks: readonly Task[];
  /** Operator applies by configuration but its pattern is missing from the RTL (generator changed). */
  readonly stale: readonly { label: string; op: string; why: string }[];
  /** Pairs where the operator does not apply (no such logic, or an equivalent mutant). */
  readonly notApplicable: number;
  /** Mutants each operator makes over the chosen units (before --quick keeps one per kind). */
  readonly applicable: ReadonlyMap<string, number>;
  readonly units: number;
  readonly operators: readonly Operator[];
}

/** Which units and operators to plant (all by default). */
export interface PlanOptions {
  /** One mutant per kind: the kind's first operator on the first unit it applies to. */
  readonly quick?: boolean;
  /** One mutant per operator: the first unit it applies to. */
  readonly perOperator?: boolean;
  /** Kinds or operator names to keep. */
  readonly kinds?: readonly string[];
  /** Keep the units whose label or name contains this. */
  readonly unitFilter?: string;
}

/** The operators `--kind` names (a kind or an operator name each); bad input for an unknown word. */
export function selectOperators(words: readonly string[] | undefined): Operator[] {
  if (!words || words.length === 0) return [...OPERATORS];
  const out = new Set<Operator>();
  for (const w of words) {
    const ops = operatorsNamed(w);
    if (ops.length === 0) throw new UsageError(`unknown kind or operator '${w}'; kinds: ${KINDS.join(', ')}`, '--kind');
    for (const o of ops) out.add(o);
  }
  return OPERATORS.filter((o) => out.has(o));
}

/** Plant the chosen operators into the chosen units. */
export function plan(opts: PlanOptions = {}): Plan {
  const operators = selectOperators(opts.kinds);
  const units = UNITS.map((req) => {
    const cfg = new MacConfig(req);
    return { label: unitLabel(req), cfg };
  }).filter((u) => !opts.unitFilter || u.label.includes(opts.unitFilter) || u.cfg.name.includes(opts.unitFilter));
  const tasks: Task[] = [];
  const stale: { label: string; op: string; why: string }[] = [];
  let notApplicable = 0;
  const applicable = new Map<string, number>(operators.map((o) => [o.name, 0]));
  // every pair is planted, even with --quick, so that stale patterns are always reported
  for (const u of units) {
    const original = generateVerilog(u.cfg);
    for (const op of operators) {
      const m = mutate(op, original, u.cfg);
      if (m.status === 'not-applicable') notApplicable++;
      else if (m.status === 'stale') stale.push({ label: u.label, op: op.name, why: m.why });
      else {
        tasks.push({ label: u.label, cfg: u.cfg, op, original, mutant: m.text });
        applicable.set(op.name, applicable.get(op.name)! + 1);
      }
    }
  }
  // quick: each kind's first mutant (its first operator on the first unit it applies to, cheap
  // units being first), in kind order so the report reads kind by kind
  const picked = opts.quick
    ? KINDS.flatMap((k) => tasks.filter((t) => t.op.kind === k).slice(0, 1))
    : opts.perOperator
      ? operators.flatMap((o) => tasks.filter((t) => t.op === o).slice(0, 1))
      : tasks;
  return { tasks: picked, stale, notApplicable, applicable, units: units.length, operators };
}

/** The outcome of one mutant. */
export interface Outcome {
  readonly label: string;
  readonly unit: string;
  readonly kind: Kind;
  readonly op: string;
  readonly status: 'caught' | 'missed' | 'invalid';
  /** The simulators that failed the mutant and the first mismatching cycle (caught), or the compile error (invalid). */
  readonly detail: string;
  readonly diff: string;
  readonly ms: number;
  /** With --formal (valid mutants): caught when the proof against the reference FAILED, missed when PROVEN. */
  readonly formal?: { readonly status: 'caught' | 'missed' | 'unknown'; readonly seconds: number; readonly detail: string };
}

/** Verify's engine, imported on first use so that a caller can point MINIMAC_CACHE elsewhere first. */
let engine: Promise<typeof import('../sim/verify.ts')> | null = null;

/**
 * Point verify's build cache at a fresh temporary folder (hundreds of mutant builds would
 * otherwise fill `.cache/`), unless MINIMAC_CACHE is set; call before the first mutant runs.
 * Returns the clean-up.
 */
export function scratchCache(): () => void {
  if (process.env.MINIMAC_CACHE !== undefined || engine !== null) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'minimac-mutants-'));
  process.env.MINIMAC_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Whether Icarus compiles the RTL as Verilog-2001 (the validity check); the error text when it does not. */
export async function compileError(top: string, verilog: string): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'minimac-mutant-'));
  try {
    writeFileSync(join(dir, 'unit.v'), verilog);
    const r = await runTool('iverilog', ['-g2001', '-o', 'unit.vvp', '-s', top, 'unit.v'], dir);
    return r.exitCode === 0 ? null : (r.all ?? '').trim().split('\n').slice(0, 3).join(' | ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Verify one mutant: invalid when it does not compile, else caught or missed by the simulators (and, with `formal`, by the proof). */
export async function runTask(t: Task, sims: readonly Simulator[] = ['verilator'], formal = false): Promise<Outcome> {
  const t0 = performance.now();
  const base = { label: t.label, unit: t.cfg.name, kind: t.op.kind, op: t.op.name, diff: diffLine(t.original, t.mutant) };
  const done = (status: Outcome['status'], detail: string): Outcome => ({ ...base, status, detail, ms: Math.round(performance.now() - t0) });
  const bad = await compileError(t.cfg.name, t.mutant);
  if (bad !== null) return done('invalid', `iverilog -g2001: ${bad}`);
  engine ??= import('../sim/verify.ts');
  const { verifyUnit } = await engine;
  const failedBy: string[] = [];
  for (const sim of sims) {
    const preset = sim === 'verilator' ? MATRIX_VERILATOR : MATRIX_ICARUS;
    try {
      const r = await verifyUnit(t.cfg, { ...preset, sims: [sim], verilog: t.mutant, vcd: false });
      // where it failed tells how hard the bug was to reach: cycle 0 is the first reset edge
      const x = r.results[0];
      if (!r.pass) failedBy.push(`${sim} (first mismatch at cycle ${x.mismatches[0]?.cycle ?? x.cycles} of ${r.vectors.edges.length})`);
    } catch (e) {
      const msg = (e as Error).message;
      // a simulator that cannot build the mutant makes it invalid; anything else is a real error
      if (/verilator build of .* failed|iverilog failed on/.test(msg)) return done('invalid', msg.split('\n').slice(0, 3).join(' | '));
      throw e;
    }
  }
  const out = done(failedBy.length ? 'caught' : 'missed', failedBy.join(' + '));
  if (!formal) return out;
  const { proveReference } = await import('../sim/formal.ts');
  const r = await proveReference(t.cfg, t.mutant, { timeoutS: 300 });
  const status = r.result === 'FAILED' ? 'caught' : r.result === 'PROVEN' ? 'missed' : 'unknown';
  return { ...out, formal: { status, seconds: r.seconds, detail: r.detail } };
}

/** Caught, missed and invalid counts of some outcomes. */
interface Tally {
  applied: number;
  caught: number;
  missed: number;
  invalid: number;
}

function tally(outs: readonly Outcome[]): Tally {
  return {
    applied: outs.length,
    caught: outs.filter((o) => o.status === 'caught').length,
    missed: outs.filter((o) => o.status === 'missed').length,
    invalid: outs.filter((o) => o.status === 'invalid').length,
  };
}

/** The share caught among valid mutants, as a percentage with one decimal ('-' with none). */
function share(t: Tally): string {
  const valid = t.caught + t.missed;
  return valid === 0 ? '-' : `${((100 * t.caught) / valid).toFixed(1)}%`;
}

/** The formal column without --formal: nothing is faked. */
export const FORMAL = 'not run (--formal)';

/** The formal share of some outcomes: caught among those proven or failed, and the unknowns apart. */
function formalShare(outs: readonly Outcome[]): string {
  const f = outs.flatMap((o) => (o.formal ? [o.formal.status] : []));
  if (!f.length) return outs.some((o) => o.status !== 'invalid') ? FORMAL : '-';
  const caught = f.filter((x) => x === 'caught').length;
  const decided = f.filter((x) => x !== 'unknown').length;
  const unknown = f.length - decided;
  return `${caught}/${decided}${unknown ? ` (+${unknown} unknown)` : ''}`;
}

function table(header: string[], rows: (string | number)[][]): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** The report: tables by kind and by operator, the total, then every missed, invalid and stale case. */
export function report(p: Plan, outs: readonly Outcome[], seconds: number, sims: readonly Simulator[]): string {
  const kinds = KINDS.filter((k) => p.operators.some((o) => o.kind === k));
  const head = ['kind', 'applied', 'caught', 'missed', 'invalid', 'caught (sim)', 'formal'];
  const row = (name: string, t: Tally, xs: readonly Outcome[]) => [name, t.applied, t.caught, t.missed, t.invalid, share(t), formalShare(xs)];
  const total = tally(outs);
  const lines = [
    `bench:mutants: ${p.units} units x ${p.operators.length} operators: ${[...p.applicable.values()].reduce((a, b) => a + b, 0)} (unit, operator) pairs apply, ` +
      `${p.notApplicable} do not, ${p.stale.length} stale; ${outs.length} mutant(s) verified`,
    `simulation: ${sims.join(' + ')}, stimulus of the CI matrix (sim/presets.ts), state injection on`,
    '',
    ...table(head, [
      ...kinds.map((k) => {
        const xs = outs.filter((o) => o.kind === k);
        return row(k, tally(xs), xs);
      }),
      row('total', total, outs),
    ]),
    '',
    ...table(
      ['operator', 'kind', 'applied', 'caught', 'missed', 'invalid', 'caught (sim)', 'formal'],
      p.operators.filter((o) => outs.some((x) => x.op === o.name)).map((o) => {
        const xs = outs.filter((x) => x.op === o.name);
        const t = tally(xs);
        return [o.name, o.kind, t.applied, t.caught, t.missed, t.invalid, share(t), formalShare(xs)];
      }),
    ),
    '',
    `total: ${total.caught} of ${total.caught + total.missed} valid mutants caught by simulation (${share(total)}); formal (caught/decided): ${formalShare(outs)}`,
    `time: ${seconds.toFixed(0)} s, ${outs.length ? (outs.reduce((s, o) => s + o.ms, 0) / outs.length / 1000).toFixed(1) : '0'} s per mutant`,
  ];
  const list = (title: string, xs: readonly Outcome[], extra: (o: Outcome) => string) => {
    if (!xs.length) return;
    lines.push('', `${title} (${xs.length}):`);
    for (const o of xs) lines.push(`  ${o.op} [${o.kind}] on ${o.unit} (${o.label}): ${o.diff}${extra(o)}`);
  };
  list('missed', outs.filter((o) => o.status === 'missed'), () => '');
  list('missed by the formal check', outs.filter((o) => o.formal?.status === 'missed'), () => '');
  list('formal UNKNOWN', outs.filter((o) => o.formal?.status === 'unknown'), (o) => `\n    ${o.formal!.detail}`);
  list('invalid', outs.filter((o) => o.status === 'invalid'), (o) => `\n    ${o.detail}`);
  const unused = p.operators.filter((o) => p.applicable.get(o.name) === 0);
  if (unused.length) lines.push('', `operators that applied to no unit: ${unused.map((o) => o.name).join(', ')}`);
  if (p.stale.length) {
    lines.push('', `stale (${p.stale.length}): the configuration says the bug applies but the pattern is not in the RTL; the generator changed under the operator:`);
    for (const s of p.stale) lines.push(`  ${s.why} (${s.label})`);
  }
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, {
    quick: { value: false, help: 'one mutant per kind (CI)' },
    'per-operator': { value: false, help: 'one mutant per operator (its first unit)' },
    formal: { value: false, help: 'also give each valid mutant to the formal check (unit = reference), about 10-40 s each' },
    kind: { value: true, arg: 'K[,K...]', help: 'only these kinds or operators' },
    'unit-filter': { value: true, arg: 'S', help: 'only units whose label or name contains S' },
    icarus: { value: false, help: 'verify in Icarus as well as Verilator' },
    jobs: { value: true, arg: 'N', help: 'mutants at a time, 1 or 2 (default 2)' },
    json: { value: false, help: 'print JSON instead of the table' },
  });
  noPositional(positional);
  const jobs = Number(flags.jobs ?? 2);
  if (jobs !== 1 && jobs !== 2) throw new UsageError('--jobs must be 1 or 2 (the machine has 2 cores, shared)', '--jobs');
  const kinds = typeof flags.kind === 'string' ? flags.kind.split(',').filter(Boolean) : undefined;
  const unitFilter = typeof flags['unit-filter'] === 'string' ? flags['unit-filter'] : undefined;
  const quick = flags.quick === true;
  const sims: Simulator[] = flags.icarus === true ? ['verilator', 'iverilog'] : ['verilator'];
  const formal = flags.formal === true;
  const perOperator = flags['per-operator'] === true;
  const p = plan({ quick, perOperator, kinds, unitFilter });
  const cleanup = scratchCache();
  const started = performance.now();
  try {
    const outs = await pool(p.tasks, jobs, async (t, i) => {
      const o = await runTask(t, sims, formal);
      const f = o.formal ? `, formal ${o.formal.status} (${o.formal.seconds} s)` : '';
      if (!flags.json) process.stderr.write(`[${i + 1}/${p.tasks.length}] ${o.status.padEnd(7)} ${o.op} on ${o.label} (${(o.ms / 1000).toFixed(1)} s${f})\n`);
      return o;
    });
    const seconds = (performance.now() - started) / 1000;
    const text = report(p, outs, seconds, sims);
    if (flags.json) {
      const s = tally(outs);
      const out = { units: p.units, operators: p.operators.map((o) => ({ name: o.name, kind: o.kind, what: o.what })), notApplicable: p.notApplicable, stale: p.stale, mutants: outs, summary: { ...s, share: share(s), formal: formalShare(outs), seconds: Math.round(seconds) } };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else process.stdout.write(text);
    if (!quick && !perOperator && !kinds && !unitFilter) writeFileSync(projectFile('bench/results/mutants.txt'), `$ npm run bench:mutants${sims.length > 1 ? ' -- --icarus' : ''}\n${text}`);
    if (perOperator && formal && !kinds && !unitFilter) writeFileSync(projectFile('bench/results/mutants-formal.txt'), `$ npm run bench:mutants -- --per-operator --formal\n${text}`);
  } finally {
    cleanup();
  }
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
