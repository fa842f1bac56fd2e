/**
 * The report's charts as Vega-Lite specs: the cost heat map over (weight, activation), cost against
 * bits of same-format pairs, cost against W + A bits with the Pareto front, cost against FFs, cost
 * against output SQNR with its Pareto front, and (given earlier runs) cost per format across runs.
 * Every data row carries `kind`, `wbits` and `abits`, which the page's filters test.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { HistoryPoint, TargetRun } from '../baseline.ts';
import type { SweepResults } from '../sweep.ts';
import type { ChartSpec } from './vega.ts';
import { accRows, cost, costName, diagonal, floatVsInt, grid, okRows, pairBits, paretoBits, targetGrid, type AccRow, type OkRow } from './tables.ts';

/** The family of a pair, as the filters and colours name it. */
export function pairKind(x: { weight: { kind: string }; activation: { kind: string } }): string {
  if (x.weight.kind === 'int' && x.activation.kind === 'int') return 'int × int';
  if (x.weight.kind !== 'int' && x.activation.kind !== 'int') return 'float × float';
  return 'mixed';
}

/** The page's filter, applied in every chart: a kind ('all' or a pairKind) and a range of operand widths. */
export const FILTER =
  "(fkind == 'all' || datum.kind == fkind) && datum.wbits >= fmin && datum.wbits <= fmax && datum.abits >= fmin && datum.abits <= fmax";

const KINDS = ['int × int', 'float × float', 'mixed'];
const KIND_COLOURS = ['#d62728', '#1f77b4', '#7f7f7f'];
const FRONT = '#2ca02c';

/** The filter parameters with their defaults (everything shown) and the filter transform. */
function filtered(lo: number, hi: number) {
  return {
    params: [
      { name: 'fkind', value: 'all' },
      { name: 'fmin', value: lo },
      { name: 'fmax', value: hi },
    ],
    transform: [{ filter: FILTER }],
  };
}

/** The fields every pair's data row has: formats, kind, widths, figures and the tooltip text. */
function pairDatum(x: OkRow, unit: string, extra = '') {
  return {
    name: x.name,
    weight: x.weight.spec,
    activation: x.activation.spec,
    kind: pairKind(x),
    wbits: x.weight.bits,
    abits: x.activation.bits,
    bits: pairBits(x),
    cost: cost(x),
    ff: x.counts.ff,
    depth: x.counts.depth,
    tip: `${x.name}: W ${x.weight.spec} × A ${x.activation.spec}, ${cost(x)} ${unit}, ${x.counts.ff} FF, depth ${x.counts.depth}${extra}`,
  };
}

/** A y scale over costs: logarithmic when they span a decade or more, else linear from zero. */
function costScale(costs: readonly number[]) {
  const lo = Math.min(...costs);
  const hi = Math.max(...costs);
  return lo > 0 && hi / lo >= 10 ? { type: 'log' as const } : { type: 'linear' as const, zero: true };
}

/** An integer axis: ticks only at whole numbers. */
const INT_AXIS = { tickMinStep: 1, format: 'd' };

/** Colour by kind (and the Pareto front), with a legend. */
function kindColour(front: boolean) {
  return {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: front ? [...KINDS, 'Pareto front'] : KINDS, range: front ? [...KIND_COLOURS, FRONT] : KIND_COLOURS },
    legend: { orient: 'right' as const },
  };
}

/** The heat map: one cell per pair, its colour on a log scale over the sweep's own range of cost, with a legend. */
function heatMap(r: SweepResults, lo: number, hi: number): ChartSpec {
  const unit = costName(r);
  const g = grid(r);
  const ok = okRows(r);
  const costs = ok.map(cost).filter((c) => c > 0);
  const cmin = Math.min(...costs);
  const cmax = Math.max(...costs);
  const values = r.rows.map((x) => {
    const base = { weight: x.weight.spec, activation: x.activation.spec, kind: pairKind(x), wbits: x.weight.bits, abits: x.activation.bits };
    if (!x.ok || !x.counts) return { ...base, ok: false, cost: null, label: 'err', dark: false, tip: `W ${x.weight.spec} × A ${x.activation.spec}: failed: ${x.error ?? ''}` };
    const d = pairDatum(x as OkRow, unit);
    // Dark cells (the low end of viridis) get white numbers.
    const t = d.cost > 0 && cmax > cmin ? (Math.log(d.cost) - Math.log(cmin)) / (Math.log(cmax) - Math.log(cmin)) : 0;
    return { ...base, ok: true, cost: Math.max(d.cost, 1), label: String(d.cost), dark: t < 0.55, tip: d.tip };
  });
  const enc = {
    x: { field: 'activation', type: 'ordinal', sort: g.activations, title: 'activation format', axis: { orient: 'top', labelAngle: -60 } },
    y: { field: 'weight', type: 'ordinal', sort: g.weights, title: 'weight format' },
  };
  const spec = {
    data: { values },
    ...filtered(lo, hi),
    width: { step: 30 },
    height: { step: 20 },
    encoding: enc,
    layer: [
      {
        name: 'cells',
        transform: [{ filter: 'datum.ok' }],
        mark: { type: 'rect' },
        encoding: {
          // A legend at least 200 px long with whole-number labels: on a short grid Vega otherwise
          // drops every label of a log scale as overlapping.
          color: {
            field: 'cost',
            type: 'quantitative',
            scale: { type: 'log', scheme: 'viridis' },
            legend: { title: unit, orient: 'right', gradientLength: Math.max(200, 20 * g.weights.length), tickCount: 6, format: 'd', labelOverlap: 'greedy' },
          },
          tooltip: { field: 'tip' },
          description: { field: 'tip' },
        },
      },
      {
        name: 'failed',
        transform: [{ filter: '!datum.ok' }],
        mark: { type: 'rect', color: '#aaaaaa' },
        encoding: { tooltip: { field: 'tip' }, description: { field: 'tip' } },
      },
      {
        name: 'numbers',
        mark: { type: 'text', fontSize: 9 },
        encoding: { text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } },
      },
    ],
  };
  return {
    id: 'heatmap',
    title: `${unit} over (weight format, activation format)`,
    note: `Colour on a log scale over this sweep's range (${cmin}–${cmax} ${unit}); grey cells failed.`,
    spec: spec as unknown as TopLevelSpec,
    fluid: false,
    coloured: true,
  };
}

/** Cost against bits of the same-format pairs: every minifloat as a point, the int and best-minifloat lines. */
function bitsChart(r: SweepResults, lo: number, hi: number): ChartSpec | null {
  const unit = costName(r);
  const diag = diagonal(r);
  if (!diag.length) return null;
  const vs = floatVsInt(r);
  const points = diag.map((x) => ({ ...pairDatum(x, unit), series: x.weight.kind === 'int' ? 'int' : 'minifloat', layer: 'point' }));
  const lines = [
    ...vs.filter((v) => v.int).map((v) => ({ ...pairDatum(v.int as OkRow, unit), series: 'int', layer: 'line' })),
    ...vs.filter((v) => v.bestFloat).map((v) => ({ ...pairDatum(v.bestFloat as OkRow, unit), series: 'best minifloat', layer: 'line' })),
  ];
  // 20 px of room inside each end of the frame, so the end widths' points are not cut in half
  const x = { field: 'wbits', type: 'quantitative', title: 'bits per operand (W = A)', axis: INT_AXIS, scale: { zero: false, padding: 20 } };
  const y = { field: 'cost', type: 'quantitative', title: unit, scale: costScale(points.map((p) => p.cost)) };
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: ['int', 'minifloat', 'best minifloat'], range: ['#d62728', '#9ecae1', '#1f77b4'] },
    legend: { orient: 'right' },
  };
  const spec = {
    data: { values: [...points, ...lines] },
    ...filtered(lo, hi),
    height: 320,
    layer: [
      {
        name: 'lines',
        transform: [{ filter: "datum.layer == 'line'" }],
        mark: { type: 'line', point: true },
        encoding: { x, y, color: colour, detail: { field: 'series' }, tooltip: { field: 'tip' }, description: { field: 'tip' } },
      },
      {
        name: 'formats',
        transform: [{ filter: "datum.layer == 'point' && datum.series == 'minifloat'" }],
        mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
        encoding: { x, y, color: colour, tooltip: { field: 'tip' }, description: { field: 'tip' } },
      },
    ],
  };
  return {
    id: 'bits',
    title: `${unit} against bit width, same-format pairs`,
    note: 'The int line and the cheapest minifloat of each width; light points: every other minifloat.',
    spec: spec as unknown as TopLevelSpec,
    fluid: true,
    coloured: true,
  };
}

/**
 * Spread the points of one x value sideways, so pairs of equal W + A do not stack: a fixed offset
 * within ±0.3 from the pair's position in the sweep (golden-ratio steps: even, and the same every run).
 */
function jitter(index: number): number {
  return Number(((((index * 0.6180339887) % 1) - 0.5) * 0.6).toFixed(3));
}

/**
 * Every pair as a point coloured by kind, and the Pareto front (rows with layer 'front') as a
 * line. The front is a staircase: its cost holds from one front point up to the next, since the
 * cheapest pair reaching a given x is the next front point at or beyond it (step-before).
 */
function frontChart(
  head: { id: string; title: string; note: string; unit: string; lo: number; hi: number },
  points: readonly { cost: number }[],
  line: readonly object[],
  x: object,
): ChartSpec {
  const y = { field: 'cost', type: 'quantitative', title: head.unit, scale: costScale(points.map((p) => p.cost)) };
  const common = { color: kindColour(true), tooltip: { field: 'tip' }, description: { field: 'tip' } };
  const layers = [
    { name: 'pairs', transform: [{ filter: "datum.layer == 'point'" }], mark: { type: 'point', filled: true, size: 30, opacity: 0.7 }, encoding: { x, y, ...common } },
    {
      name: 'pareto',
      transform: [{ filter: "datum.layer == 'front'" }],
      mark: { type: 'line', point: true, interpolate: 'step-before', strokeWidth: 2 },
      encoding: { x, y, ...common },
    },
  ];
  const spec = { data: { values: [...points, ...line] }, ...filtered(head.lo, head.hi), height: 340, layer: layers };
  return { id: head.id, title: head.title, note: head.note, spec: spec as unknown as TopLevelSpec, fluid: true, coloured: true };
}

/** Cost against W + A bits of every pair, coloured by kind, with the Pareto front as a line. */
function paretoBitsChart(r: SweepResults, lo: number, hi: number): ChartSpec {
  const unit = costName(r);
  const ok = okRows(r);
  const front = paretoBits(r);
  const points = ok.map((x) => ({ ...pairDatum(x, unit), series: pairKind(x), xj: pairBits(x) + jitter(x.index), layer: 'point' }));
  const line = front.map((x) => ({ ...pairDatum(x, unit), series: 'Pareto front', xj: pairBits(x), layer: 'front' }));
  const bits = ok.map(pairBits);
  // half a bit of room either side, so the spread points of the end widths stay inside the frame
  const x = { field: 'xj', type: 'quantitative', title: 'operand bits W + A', axis: INT_AXIS, scale: { domain: [Math.min(...bits) - 0.5, Math.max(...bits) + 0.5], nice: false } };
  const title = `${unit} against operand bits (W + A), every pair`;
  const note = `Points of equal W + A are spread sideways by up to ±0.3 so they do not stack; the line is the Pareto front (no pair has as many bits or more for as few ${unit} or fewer).`;
  return frontChart({ id: 'pareto-bits', title, note, unit, lo, hi }, points, line, x);
}

/** Cost against flip-flops, coloured by kind. */
function ffChart(r: SweepResults, lo: number, hi: number): ChartSpec {
  const unit = costName(r);
  const points = okRows(r).map((x) => ({ ...pairDatum(x, unit), series: pairKind(x) }));
  const spec = {
    data: { values: points },
    ...filtered(lo, hi),
    height: 320,
    mark: { type: 'point', filled: true, size: 30, opacity: 0.7 },
    encoding: {
      x: { field: 'ff', type: 'quantitative', title: 'flip-flops', axis: INT_AXIS, scale: { zero: false, padding: 20 } },
      y: { field: 'cost', type: 'quantitative', title: unit, scale: costScale(points.map((p) => p.cost)) },
      color: kindColour(false),
      tooltip: { field: 'tip' },
      description: { field: 'tip' },
    },
  };
  return { id: 'lut-ff', title: `${unit} against flip-flops`, spec: spec as unknown as TopLevelSpec, fluid: true, coloured: true };
}

/** The pairs no other pair beats on both cost (fewer) and output SQNR (higher), by rising SQNR. */
export function sqnrFront(rows: readonly AccRow[]): AccRow[] {
  const q = (x: AccRow) => x.accuracy.outputSqnrDb;
  return rows
    .filter((x) => !rows.some((y) => cost(y) <= cost(x) && q(y) >= q(x) && (cost(y) < cost(x) || q(y) > q(x))))
    .sort((a, b) => q(a) - q(b) || cost(a) - cost(b) || a.index - b.index);
}

/** Cost against output SQNR, coloured by kind, with the Pareto front as a line. */
function accuracyChart(r: SweepResults, lo: number, hi: number): ChartSpec | null {
  const unit = costName(r);
  const acc = accRows(r);
  if (!acc.length || !r.accuracy) return null;
  const sqnr = (x: AccRow) => Number(x.accuracy.outputSqnrDb.toFixed(2));
  const withSqnr = (x: AccRow) => `, output SQNR ${sqnr(x).toFixed(2)} dB`;
  const points = acc.map((x) => ({ ...pairDatum(x, unit, withSqnr(x)), sqnr: sqnr(x), series: pairKind(x), layer: 'point' }));
  const line = sqnrFront(acc).map((x) => ({ ...pairDatum(x, unit, withSqnr(x)), sqnr: sqnr(x), series: 'Pareto front', layer: 'front' }));
  const x = { field: 'sqnr', type: 'quantitative', title: 'output SQNR (dB)', scale: { zero: false, padding: 20 } };
  const note = `${r.accuracy.setup} (${r.accuracy.source}). The line is the Pareto front: no pair has higher SQNR for as few ${unit}.`;
  return frontChart({ id: 'accuracy', title: `${unit} against output SQNR`, note, unit, lo, hi }, points, line, x);
}

/** Cost of each same-format pair across the runs found (oldest first), so a step shows a change. */
function historyChart(r: SweepResults, history: readonly HistoryPoint[], lo: number, hi: number): ChartSpec | null {
  const runs = [...new Set(history.map((h) => h.run))];
  if (runs.length < 2) return null;
  const unit = costName(r);
  const kindOf = new Map(diagonal(r).map((x) => [x.weight.spec, { kind: pairKind(x), bits: x.weight.bits }]));
  const values = history
    .filter((h) => kindOf.has(h.format))
    .map((h) => {
      const k = kindOf.get(h.format)!;
      const who = h.generator ? `minimac ${h.generator.version}${h.generator.commit ? ` ${h.generator.commit.slice(0, 10)}` : ''}` : 'generator unknown';
      return {
        ...h,
        kind: k.kind,
        wbits: k.bits,
        abits: k.bits,
        tip: `${h.format} in ${h.run}${h.startedAt ? ` (${h.startedAt.slice(0, 10)})` : ''}: ${h.lut} ${unit}, ${h.ff} FF, depth ${h.depth}; ${h.yosysVersion}, ${who}`,
      };
    });
  const spec = {
    data: { values },
    ...filtered(lo, hi),
    height: 340,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'run', type: 'ordinal', sort: runs, title: 'run (oldest first)', axis: { labelAngle: -30 } },
      y: { field: 'lut', type: 'quantitative', title: unit, scale: costScale(values.map((v) => v.lut)) },
      color: { field: 'format', type: 'nominal', title: 'format (W = A)', scale: { scheme: 'tableau20' }, legend: { orient: 'right', columns: 2 } },
      tooltip: { field: 'tip' },
      description: { field: 'tip' },
    },
  };
  return {
    id: 'history',
    title: `${unit} of each same-format pair across runs`,
    note: `${runs.length} comparable runs in this report folder's parent; a step marks a change of generator or Yosys (see the tooltips).`,
    spec: spec as unknown as TopLevelSpec,
    fluid: true,
    coloured: true,
  };
}

/**
 * Cost of each same-format pair on every target swept together (`--target xc7,xcup,ecp5`), bars
 * side by side per format. A LUT is each family's own (LUT6 on xc7/xcup, LUT4 on ecp5/ice40), and
 * the gates target counts gates: the chart compares families, it does not convert between them.
 */
function targetsChart(targets: readonly TargetRun[], lo: number, hi: number): ChartSpec | null {
  if (targets.length < 2) return null;
  const values = targets.flatMap((t) =>
    diagonal(t.results).map((x) => ({ ...pairDatum(x, costName(t.results), ` on ${t.target}`), target: t.target, format: x.weight.spec })),
  );
  if (!values.length) return null;
  const order = targetGrid(targets).rows.map((x) => x.pair.weight.spec);
  const gates = targets.some((t) => t.results.sweep.params.target === 'gates');
  const spec = {
    data: { values },
    ...filtered(lo, hi),
    height: 300,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'format', type: 'nominal', sort: order, title: 'format (W = A)', axis: { labelAngle: -60 } },
      xOffset: { field: 'target', type: 'nominal', sort: targets.map((t) => t.target) },
      y: { field: 'cost', type: 'quantitative', title: gates ? 'LUTs (gates on the gates target)' : 'LUTs (each family\'s own)', scale: costScale(values.map((v) => v.cost)) },
      color: { field: 'target', type: 'nominal', sort: targets.map((t) => t.target), title: 'target', legend: { orient: 'right' } },
      tooltip: { field: 'tip' },
      description: { field: 'tip' },
    },
  };
  return {
    id: 'targets',
    title: `Same-format pairs on ${targets.map((t) => t.target).join(', ')}`,
    note: 'The same units synthesized for each target in one run; each family counts its own LUTs (LUT6 on xc7/xcup, LUT4 on ecp5 and ice40).',
    spec: spec as unknown as TopLevelSpec,
    fluid: true,
    coloured: true,
  };
}

/** Widest and narrowest operand of the sweep, the filter's range. */
export function bitRange(r: SweepResults): { lo: number; hi: number } {
  const bits = r.rows.flatMap((x) => [x.weight.bits, x.activation.bits]);
  return bits.length ? { lo: Math.min(...bits), hi: Math.max(...bits) } : { lo: 0, hi: 0 };
}

/** Every chart of the page, in order (accuracy, targets and history only when they have data). */
export function chartSpecs(r: SweepResults, history: readonly HistoryPoint[] = [], targets: readonly TargetRun[] = []): ChartSpec[] {
  const { lo, hi } = bitRange(r);
  if (okRows(r).length === 0) return [];
  const all = [heatMap(r, lo, hi), bitsChart(r, lo, hi), paretoBitsChart(r, lo, hi), ffChart(r, lo, hi), accuracyChart(r, lo, hi)];
  return [...all, targetsChart(targets, lo, hi), historyChart(r, history, lo, hi)].filter(
    (c): c is ChartSpec => c !== null,
  );
}
