/** results.csv and index.md of a sweep. */
import { changed, deltaText, FIGURES, figureName, grewBeyond, type Comparison, type GeneratorInfo, type PairChange, type ReportExtras, type TargetRun } from '../baseline.ts';
import type { SweepResults } from '../sweep.ts';
import type { SpotCheckReport } from '../spot-check.ts';
import { accRows, cost, costName, diagonal, floatVsInt, grid, okRows, pairBits, paretoAccuracy, paretoBits, targetGrid } from './tables.ts';

function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Union of the keys of a per-row map (LUT sizes, mux names), sorted. */
function keysOf(r: SweepResults, pick: (c: NonNullable<SweepResults['rows'][number]['counts']>) => Readonly<Record<string, number>>): string[] {
  const s = new Set<string>();
  for (const x of okRows(r)) for (const k of Object.keys(pick(x.counts))) s.add(k);
  return [...s].sort();
}

/** results.csv: one row per configuration with formats, unit name, widths, target, counts and SQNR. */
export function resultsCsv(r: SweepResults): string {
  const luts = keysOf(r, (c) => c.lutBySize);
  const muxes = keysOf(r, (c) => c.mux);
  const acc = accRows(r).length > 0;
  // An SQNR figure: 2 decimals (0.01 dB is a 0.23 % change in noise power, finer than any
  // comparison of formats needs; 16 digits only make the file hard to read), `inf` when the
  // format is exact on the tensor (zero noise), blank when the row has none; `-0.00` prints as
  // `0.00`. Kept inside resultsCsv: the CSV is its only user.
  const sqnrCell = (v: number | undefined): string | null => {
    if (v === undefined) return null;
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    const s = v.toFixed(2);
    return s === '-0.00' ? '0.00' : s;
  };
  // Every column is documented in synth/README.md ("results.csv"): keep that table in step.
  const head = [
    'index', 'name', 'weight', 'weight_kind', 'weight_bits', 'activation', 'activation_kind', 'activation_bits', 'total_bits',
    'target', 'product_width', 'acc_width', 'acc_frac', 'ok', 'lut', ...luts.map((k) => k.toLowerCase()), 'ff', 'carry',
    ...muxes.map((k) => k.toLowerCase()), 'dsp', 'srl', 'gates', 'depth',
    ...(acc ? ['weight_sqnr_db', 'activation_sqnr_db', 'output_sqnr_db'] : []), 'error',
  ];
  const lines = [head.join(',')];
  for (const x of r.rows) {
    const c = x.counts;
    const q = x.accuracy;
    lines.push(
      [
        x.index, x.name, x.weight.spec, x.weight.kind, x.weight.bits, x.activation.spec, x.activation.kind, x.activation.bits, pairBits(x),
        x.target, x.productWidth, x.accWidth, x.accFrac, x.ok, c?.lut, ...luts.map((k) => (c ? (c.lutBySize[k] ?? 0) : null)),
        c?.ff, c?.carry, ...muxes.map((k) => (c ? (c.mux[k] ?? 0) : null)), c?.dsp, c?.srl, c?.gates, c?.depth,
        ...(acc ? [sqnrCell(q?.weightSqnrDb), sqnrCell(q?.activationSqnrDb), sqnrCell(q?.outputSqnrDb)] : []), x.error,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function mdTable(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

function muxText(m: Readonly<Record<string, number>>): string {
  const e = Object.entries(m);
  return e.length ? e.map(([k, n]) => `${k} ${n}`).join(', ') : '0';
}

/**
 * index.md: the change since the baseline (with one), the W × A cost table, minifloat vs integer,
 * the Pareto fronts, same-format counts, errors.
 */
export function indexMd(r: SweepResults, run: string, extras: ReportExtras = {}): string {
  const p = r.sweep.params;
  const unit = costName(r);
  const ok = okRows(r);
  const errors = r.rows.filter((x) => !x.ok);
  const out: string[] = [];
  out.push(`# Synthesis sweep ${run}\n`);
  out.push(
    `Target **${p.target}**${p.dsp ? ' (DSPs allowed)' : ' (LUT-only)'}${p.arch ? `, arch ${p.arch} (adders of LUT6_2 and ${p.arch === 'xc7' ? 'CARRY4' : 'CARRY8'})` : ', arch generic'}, ${p.yosysVersion} [${p.engine}], ` +
      `${p.weights.length} weight × ${p.activations.length} activation formats, ` +
      `accumulator ${p.acc !== null ? `${p.acc} bits` : `default width (len ${p.len ?? 1024})`}` +
      (p.result ? `, float result ${p.result.spec} (${p.result.overflow}, q ${p.result.pipeline}) in every unit's cost` : '') +
      '. ' +
      `${ok.length} configurations synthesized, ${errors.length} failed. Sweep id \`${r.sweep.id}\`` +
      (r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : '') +
      '.\n',
  );
  // The night's news first: what changed since the baseline, ahead of the tables that did not.
  if (extras.comparison) out.push(changeSection(extras.comparison, r));
  if (extras.targets && extras.targets.length > 1) out.push(targetsSection(extras.targets));
  if (extras.spotChecks) out.push(spotSection(extras.spotChecks));
  out.push('Every unit ran this script in a fresh Yosys (`{top}` is the unit name):\n');
  out.push('```\n' + r.sweep.script + '```\n');

  const g = grid(r);
  out.push(`## ${unit} of each weight × activation pair\n`);
  out.push('Rows: weight format; columns: activation format. `err` marks a failed configuration, blank one not in this shard.\n');
  out.push(
    mdTable(
      ['W \\ A', ...g.activations],
      g.weights.map((w) => [
        w,
        ...g.activations.map((a) => {
          const x = g.at(w, a);
          if (!x) return '';
          return x.ok && x.counts ? String(x.target === 'gates' ? x.counts.gates : x.counts.lut) : 'err';
        }),
      ]),
    ),
  );

  if (p.result) {
    // what the float result costs: each configuration with the result against the same unit without
    const withBase = okRows(r).filter((x) => x.withoutResult);
    out.push(`## What the float result ${p.result.spec} costs\n`);
    out.push(`Each configuration with the result against the same unit without it (LUT, FF, depth; the difference is the converter plus ABC's noise).\n`);
    out.push(
      mdTable(
        ['weight', 'activation', 'LUT without', 'LUT with', 'LUT +%', 'FF without', 'FF with', 'depth without', 'depth with'],
        withBase.map((x) => {
          const b = x.withoutResult!;
          return [x.weight.spec, x.activation.spec, b.lut, x.counts.lut, b.lut > 0 ? `${((x.counts.lut / b.lut - 1) * 100).toFixed(0)}%` : '—', b.ff, x.counts.ff, b.depth, x.counts.depth];
        }),
      ),
    );
  }

  const vs = floatVsInt(r);
  if (vs.length) {
    out.push(`## Minifloat vs integer at equal bits\n`);
    out.push(`Same-format pairs (W = A): the cheapest minifloat of each width against the integer of that width.\n`);
    out.push(
      mdTable(
        ['bits', 'best minifloat', `${unit}`, 'int', `${unit}`, 'minifloat / int'],
        vs.map((v) => [
          v.bits,
          v.bestFloat?.weight.spec ?? '—',
          v.bestFloat ? cost(v.bestFloat) : '—',
          v.int?.weight.spec ?? '—',
          v.int ? cost(v.int) : '—',
          v.bestFloat && v.int && cost(v.int) > 0 ? (cost(v.bestFloat) / cost(v.int)).toFixed(2) : '—',
        ]),
      ),
    );
  }

  const front = paretoBits(r);
  if (front.length) {
    out.push(`## Pareto front of ${unit} against bits\n`);
    out.push(`Pairs that no other pair beats: none has as many operand bits (W + A) or more for as few ${unit} or fewer.\n`);
    out.push(mdTable(['W + A bits', 'weight', 'activation', unit, 'FF', 'depth'], front.map((x) => [pairBits(x), x.weight.spec, x.activation.spec, cost(x), x.counts.ff, x.counts.depth])));
  }

  const acc = accRows(r);
  if (acc.length && r.accuracy) {
    const pa = paretoAccuracy(r);
    out.push(`## ${unit} against accuracy\n`);
    out.push(
      `Accuracy from ${r.accuracy.source}: ${r.accuracy.setup}. ` +
        `At each total bit budget (W + A bits), the pairs no other pair of that budget beats on both ${unit} and output SQNR:\n`,
    );
    out.push(
      mdTable(
        ['W + A bits', 'weight', 'activation', unit, 'weight SQNR dB', 'activation SQNR dB', 'output SQNR dB'],
        pa.map((x) => [pairBits(x), x.weight.spec, x.activation.spec, cost(x), x.accuracy.weightSqnrDb.toFixed(2), x.accuracy.activationSqnrDb.toFixed(2), x.accuracy.outputSqnrDb.toFixed(2)]),
      ),
    );
  }

  if (r.accuracy?.errors.length) {
    out.push(`Accuracy could not be computed for ${r.accuracy.errors.length} pair(s):\n`);
    out.push(r.accuracy.errors.map((e) => `- ${e}`).join('\n') + '\n');
  }

  const diag = diagonal(r);
  if (diag.length) {
    out.push(`## Same-format pairs\n`);
    out.push(
      mdTable(
        ['format', 'bits', 'acc bits', 'LUT', 'LUT by size', 'FF', 'carry', 'mux', 'DSP', 'gates', 'depth'],
        diag.map((x) => [
          x.weight.spec,
          x.weight.bits,
          x.accWidth ?? '',
          x.counts.lut,
          muxText(x.counts.lutBySize),
          x.counts.ff,
          x.counts.carry,
          muxText(x.counts.mux),
          x.counts.dsp,
          x.counts.gates,
          x.counts.depth,
        ]),
      ),
    );
  }

  if (errors.length) {
    out.push(`## Failed configurations\n`);
    for (const x of errors) {
      out.push(`### ${x.weight.spec} × ${x.activation.spec}\n\n${x.error}\n\n\`\`\`\n${x.logTail ?? ''}\n\`\`\`\n`);
    }
  }
  return out.join('\n');
}

function generatorText(g: GeneratorInfo | null): string {
  return g ? `minimac ${g.version}${g.commit ? ` (commit ${g.commit.slice(0, 12)})` : ''}` : 'an unrecorded generator';
}

/** The section `## Gate-level spot checks`: each sampled design's netlist verdict from verify --netlist. */
function spotSection(s: SpotCheckReport): string {
  const bad = s.checks.filter((c) => c.result !== 'PASS').length;
  return (
    `## Gate-level spot checks\n\n` +
    `${s.checks.length} designs, picked by index, synthesized again with the netlist written (\`synth --write-netlist\`) and simulated in Verilator and Icarus against their unit (\`verify --netlist\`, seed ${s.stimulus.seed}, ${s.stimulus.beats} random edges, all pairs where they fit in 2^16, else ${s.stimulus.pairs} random; no state injection): ${s.checks.length - bad} passed, ${bad} did not. The netlists are in this folder; \`spot-check.json\` has each full report.\n\n` +
    mdTable(['#', 'weight', 'activation', 'result', 'netlist', 's'], s.checks.map((c) => [c.index, c.weight, c.activation, c.result === 'PASS' ? 'PASS' : `**${c.result}**: ${c.detail.replace(/\|/g, '\\|')}`, c.netlist ?? '—', c.seconds]))
  );
}

/** The section comparing the targets of one run: each same-format pair's cost, FF and depth on every target. */
function targetsSection(targets: readonly TargetRun[]): string {
  const g = targetGrid(targets);
  return (
    `## Same-format pairs on ${targets.map((t) => t.target).join(', ')}\n\n` +
    `The same units synthesized for each target in this run; each family counts its own LUTs (LUT6 on xc7/xcup, LUT4 on ecp5 and ice40). Each target's own report is its folder of this run.\n\n` +
    mdTable(g.head, g.rows.map((x) => x.cells))
  );
}

/** The section `## Change since <baseline>`: the regressions, then every changed pair, then the pairs in one run only. */
function changeSection(c: Comparison, r: SweepResults): string {
  const unit = costName(r);
  const b = c.baseline;
  const names = FIGURES.map((f) => figureName(f, unit));
  const either = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  const moved = c.rows.filter(changed);
  // A figure past the threshold is bold, so the cause of a regression stands out in its row.
  const cells = (x: PairChange) => [x.weight, x.activation, ...FIGURES.map((f) => (x[f].change === 0 ? String(x[f].after) : grewBeyond(x[f], c.thresholdPct) ? `**${deltaText(x[f])}**` : deltaText(x[f])))];
  const head = ['weight', 'activation', ...names];
  const out: string[] = [`## Change since ${b.run}\n`];
  const yosys = r.sweep.params.yosysVersion;
  out.push(
    `Baseline **${b.run}** (${b.startedAt ? `started ${b.startedAt}, ` : ''}${b.yosysVersion}, ${generatorText(b.generator)}, sweep id \`${b.sweepId}\`): ` +
      `${c.rows.length} pairs ok in both runs, ${moved.length} changed. ` +
      `A pair is a regression when its ${either} grew by more than ${c.thresholdPct}%.` +
      (b.yosysVersion !== yosys ? ` Yosys changed: ${b.yosysVersion} then, ${yosys} now.` : '') +
      '\n',
  );
  if (c.regressions.length) {
    out.push(`### Regressions (${c.regressions.length})\n`);
    out.push(mdTable(head, c.regressions.map(cells)));
  } else out.push('No regressions.\n');
  if (moved.length) {
    out.push(`### Every changed pair (${moved.length})\n`);
    out.push(mdTable(head, moved.map(cells)));
  } else out.push(`No pair's ${either} changed since ${b.run}.\n`);
  if (c.onlyNow.length) out.push(`Only in this run, not compared: ${c.onlyNow.join(', ')}.\n`);
  if (c.onlyBefore.length) out.push(`Only in ${b.run}, not compared: ${c.onlyBefore.join(', ')}.\n`);
  return out.join('\n');
}
