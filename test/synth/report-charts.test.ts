/**
 * The report's charts without Yosys or a browser: a hand-built sweep is rendered by Vega as the
 * report writer does, and every chart has its axis titles, its legend and its Pareto line; a chart
 * planted without its legend or its front is caught by the same check the Chromium test uses. The
 * heat map's scale spans the data's own range; the filter keeps only the pairs asked for; the
 * page is the same bytes every time.
 */
import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import type { SweepResults, SweepRow } from '../../synth/sweep.ts';
import { chartSpecs, pairKind } from '../../synth/report/charts.ts';
import type { HistoryPoint } from '../../synth/baseline.ts';
import { renderCharts } from '../../synth/report/vega.ts';
import { indexHtml } from '../../synth/report/html.ts';
import { chartProblems } from '../support/charts.ts';

const FORMATS = [
  { spec: 'e1m1', kind: 'float', bits: 3 },
  { spec: 'int3', kind: 'int', bits: 3 },
  { spec: 'e2m1', kind: 'float', bits: 4 },
  { spec: 'int4', kind: 'int', bits: 4 },
] as const;

/** A sweep of the four formats squared on `target`, costs from a formula (never 0), SQNR made up. */
function sweep(target = 'xc7', scale = 1): SweepResults {
  const rows: SweepRow[] = [];
  for (const w of FORMATS)
    for (const a of FORMATS) {
      const lut = Math.round((10 + 3 * w.bits * a.bits + (w.kind === 'float' ? 7 : 0) + (a.kind === 'float' ? 5 : 0)) * scale);
      const row = {
        index: rows.length,
        weight: w,
        activation: a,
        name: `minimac_${a.spec}_x_${w.spec}_acc12`,
        target,
        productWidth: 8,
        accWidth: 12,
        accFrac: 0,
        key: `k${rows.length}`,
        ok: true,
        counts: { lut, lutBySize: { LUT6: lut }, ff: 13, carry: 3, mux: {}, dsp: 0, srl: 0, gates: 0, depth: 5 + w.bits, cells: {} },
        error: null,
        logTail: null,
        accuracy: { weightSqnrDb: 3 * w.bits, activationSqnrDb: 3 * a.bits, outputSqnrDb: 2 * (w.bits + a.bits) + (w.kind === 'int' ? 1 : 0) },
      };
      rows.push(row as unknown as SweepRow);
    }
  return {
    schema: 1,
    sweep: { id: 'test', params: { weights: FORMATS.map((f) => f.spec), activations: FORMATS.map((f) => f.spec), target, dsp: false, engine: 'wasm', yosysVersion: 'yosys-test', acc: 12, len: null } as never, script: 'synth' },
    rows,
    accuracy: { source: 'quant/accuracy.ts', setup: 'made up', errors: [] },
  };
}

const r = sweep();
const history: HistoryPoint[] = ['n1', 'n2'].flatMap((run, i) =>
  r.rows.filter((x) => x.weight.spec === x.activation.spec).map((x) => ({ run, startedAt: `2026-11-0${i + 1}T00:00:00Z`, format: x.weight.spec, lut: x.counts!.lut - i, ff: 13, depth: 5, yosysVersion: 'y', generator: null })),
);
const targets = [
  { target: 'xc7', results: r },
  { target: 'ecp5', results: sweep('ecp5', 1.7) },
];

describe('report charts', () => {
  it('every chart has axis titles, a legend where it has colours, and the Pareto lines; tooltips are in the static SVG', async () => {
    const charts = await renderCharts(chartSpecs(r, history, targets));
    expect(charts.map((c) => c.id)).toEqual(['heatmap', 'bits', 'pareto-bits', 'lut-ff', 'accuracy', 'targets', 'history']);
    for (const c of charts) expect(chartProblems(c.id, c.coloured, c.svg)).toEqual([]);
    const heat = charts[0].svg;
    expect(heat).toContain('<title>minimac_int4_x_int4_acc12: W int4 × A int4, 58 LUTs, 13 FF, depth 9</title>');
  });

  it('the heat map colours over the data\'s own range, not from 1', async () => {
    const [heat] = await renderCharts(chartSpecs(r).slice(0, 1));
    const luts = r.rows.map((x) => x.counts!.lut);
    expect(heat.svg).toContain(`Gradient legend titled 'LUTs' for fill color with values from ${Math.min(...luts)} to ${Math.max(...luts)}`);
  });

  it('the heat map legend keeps its labels on a short grid (36–90 LUTs over 4 rows: Vega dropped them all once)', async () => {
    const short = structuredClone(r);
    short.rows.forEach((x, i) => ((x.counts as { lut: number }).lut = Math.round(36 + (54 * i) / 15)));
    const [spec] = chartSpecs(short);
    // the legend as it was: Vega's defaults
    const planted = structuredClone(spec);
    (planted.spec as unknown as { layer: { encoding: { color: { legend: unknown } } }[] }).layer[0].encoding.color.legend = { title: 'LUTs', orient: 'right' };
    const [now, before] = await renderCharts([spec, planted]);
    expect(chartProblems('heatmap', true, now.svg)).toEqual([]);
    expect(chartProblems('heatmap', true, before.svg)).toEqual(['heatmap: a legend without labels']);
  });

  it('a chart planted without its legend, or without its front, is caught', async () => {
    const specs = chartSpecs(r);
    const noLegend = structuredClone(specs.find((c) => c.id === 'lut-ff')!);
    (noLegend.spec as { encoding: { color: { legend: unknown } } }).encoding.color.legend = null;
    const noFront = structuredClone(specs.find((c) => c.id === 'pareto-bits')!);
    const layered = noFront.spec as { layer: { name: string }[] };
    layered.layer = layered.layer.filter((l) => l.name !== 'pareto');
    const [a, b] = await renderCharts([noLegend, noFront]);
    expect(chartProblems(a.id, a.coloured, a.svg)).toEqual(['lut-ff: colours but no legend']);
    expect(chartProblems(b.id, b.coloured, b.svg)).toEqual(['pareto-bits: no Pareto line']);
  });

  it('the filter keeps only the pairs of the kind and widths asked for', async () => {
    const [chart] = await renderCharts(chartSpecs(r).filter((c) => c.id === 'lut-ff'));
    const view = new vega.View(vega.parse(chart.live), { renderer: 'none' });
    const shown = async (kind: string, lo: number, hi: number) => {
      await view.signal('fkind', kind).signal('fmin', lo).signal('fmax', hi).runAsync();
      return [...(await view.toSVG()).matchAll(/aria-label="(minimac_[^:]+): W (\S+) × A (\S+),/g)].map((m) => `${m[2]}×${m[3]}`).sort();
    };
    expect(await shown('all', 3, 4)).toHaveLength(16);
    expect(await shown('int × int', 3, 4)).toEqual(['int3×int3', 'int3×int4', 'int4×int3', 'int4×int4']);
    expect(await shown('mixed', 4, 4)).toEqual(['e2m1×int4', 'int4×e2m1']);
    view.finalize();
    expect(pairKind({ weight: { kind: 'float' }, activation: { kind: 'int' } })).toBe('mixed');
  });

  it('the page is the same bytes every time, and loads nothing from outside', async () => {
    const a = await indexHtml(r, 'run', { history, targets });
    const b = await indexHtml(r, 'run', { history, targets });
    expect(a).toBe(b);
    expect(a).not.toMatch(/<(link|img)\b|<script[^>]*\ssrc=/);
    expect(a.match(/<table class="sortable"/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
