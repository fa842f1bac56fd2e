/**
 * index.html of a sweep: one self-contained page (no network, no external file). The charts are
 * Vega-Lite specs rendered to SVG when the report is written (charts.ts, vega.ts), so the page
 * reads with scripts off; the inlined Vega runtime then draws each chart again, live, at the
 * window's width, with tooltips and the page's filters (kind, operand bits) applied to every
 * chart and table. Tables sort by a click on their heading.
 */
import type { SweepResults, SweepRow } from '../sweep.ts';
import { changed, type Comparison, type Delta, type ReportExtras, type TargetRun } from '../baseline.ts';
import { bitRange, chartSpecs, pairKind } from './charts.ts';
import { accRows, cost, costName, diagonal, floatVsInt, okRows, pairBits, paretoAccuracy, paretoBits, targetGrid, type OkRow } from './tables.ts';
import { renderCharts, vegaRuntime, type RenderedChart } from './vega.ts';

/** Escape text for HTML. */
function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON for a `<script type="application/json">`: no `<` can close the element early. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

type Cell = string | number;

/** A sortable table; each row may carry the filter's attributes (kind and operand widths). */
function table(id: string, head: readonly string[], rows: readonly { cells: readonly Cell[]; pair?: Pick<SweepRow, 'weight' | 'activation'>; cls?: string }[]): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => {
      const f = r.pair ? ` data-kind="${esc(pairKind(r.pair))}" data-wbits="${r.pair.weight.bits}" data-abits="${r.pair.activation.bits}"` : '';
      return `<tr${f}${r.cls ? ` class="${r.cls}"` : ''}>${r.cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table class="sortable" id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A change alone, for a table column: `+4 (+10.0%)`, `0`, `−3 (−7.5%)`. */
function changeText(d: Delta): string {
  if (d.change === 0) return '0';
  const sign = d.change > 0 ? '+' : '−';
  return `${sign}${Math.abs(d.change)}${d.pct === null ? '' : ` (${sign}${Math.abs(d.pct).toFixed(1)}%)`}`;
}

/** The comparison with the baseline run: a summary, then every pair that changed, regressions first. */
function comparisonSection(c: Comparison, r: SweepResults): string {
  const unit = costName(r);
  const side = new Map(r.rows.map((x) => [`${x.weight.spec}|${x.activation.spec}`, x]));
  const moved = c.rows.filter(changed);
  const ordered = [...moved].sort((a, b) => Number(b.regression) - Number(a.regression));
  const b = c.baseline;
  const who = b.generator ? `minimac ${b.generator.version}${b.generator.commit ? ` ${b.generator.commit.slice(0, 10)}` : ''}` : 'generator unknown';
  const head =
    `<p>Against run <b>${esc(b.run)}</b>${b.startedAt ? ` of ${esc(b.startedAt)}` : ''} (${esc(b.yosysVersion)}, ${esc(who)}): ` +
    `${c.rows.length} pairs compared, ${moved.length} changed, <b>${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}</b> ` +
    `(${unit}, FF or depth up by more than ${c.thresholdPct}%).` +
    (c.onlyNow.length ? ` Only in this run: ${esc(c.onlyNow.join(', '))}.` : '') +
    (c.onlyBefore.length ? ` Only in the baseline: ${esc(c.onlyBefore.join(', '))}.` : '') +
    '</p>';
  if (!moved.length) return `<h2 id="change">Change since ${esc(b.run)}</h2>${head}<p>No pair changed.</p>`;
  const rows = ordered.map((x) => ({
    cells: [x.weight, x.activation, x.lut.before, x.lut.after, changeText(x.lut), x.ff.before, x.ff.after, changeText(x.ff), x.depth.before, x.depth.after, changeText(x.depth), x.regression ? 'regression' : ''],
    pair: side.get(`${x.weight}|${x.activation}`),
    cls: x.regression ? 'regression' : undefined,
  }));
  return (
    `<h2 id="change">Change since ${esc(b.run)}</h2>${head}` +
    table('changes', ['weight', 'activation', `${unit} before`, `${unit} now`, `${unit} change`, 'FF before', 'FF now', 'FF change', 'depth before', 'depth now', 'depth change', ''], rows)
  );
}

/** One chart's box: heading, note, and the static SVG the live view replaces. */
function chartBox(c: RenderedChart): string {
  return (
    `<section class="chart-box"><h2>${esc(c.title)}</h2>${c.note ? `<p class="note">${esc(c.note)}</p>` : ''}` +
    `<div class="chart" id="chart-${c.id}" data-coloured="${c.coloured ? 1 : 0}">${c.svg}</div></section>`
  );
}

/** Same-format pairs across the targets of one run: LUT (or gates), FF and depth on each. */
function targetsTable(targets: readonly TargetRun[]): string {
  if (targets.length < 2) return '';
  const g = targetGrid(targets);
  return `<h2>Same-format pairs on every target</h2>` + table('targets-table', g.head, g.rows);
}

/** The tables of the page: same-format pairs, minifloat vs int, the Pareto fronts, the result's cost, failures. */
function tables(r: SweepResults, targets: readonly TargetRun[]): string {
  const unit = costName(r);
  const out: string[] = [targetsTable(targets)];
  const diag = diagonal(r);
  if (diag.length) {
    out.push(
      '<h2>Same-format pairs</h2>' +
        table(
          'same-format',
          ['format', 'bits', 'acc bits', 'LUT', 'FF', 'carry', 'DSP', 'gates', 'depth'],
          diag.map((x) => ({ cells: [x.weight.spec, x.weight.bits, x.accWidth ?? '', x.counts.lut, x.counts.ff, x.counts.carry, x.counts.dsp, x.counts.gates, x.counts.depth], pair: x })),
        ),
    );
  }
  const vs = floatVsInt(r).filter((v) => v.bestFloat && v.int);
  if (vs.length) {
    out.push(
      '<h2>Minifloat vs integer at equal bits</h2>' +
        table(
          'float-vs-int',
          ['bits', 'best minifloat', unit, 'int', unit, 'minifloat / int'],
          vs.map((v) => {
            const f = v.bestFloat as OkRow;
            const i = v.int as OkRow;
            return { cells: [v.bits, f.weight.spec, cost(f), i.weight.spec, cost(i), cost(i) > 0 ? (cost(f) / cost(i)).toFixed(2) : '—'], pair: f };
          }),
        ),
    );
  }
  const front = paretoBits(r);
  if (front.length) {
    out.push(
      `<h2>Pareto front of ${esc(unit)} against bits</h2>` +
        table(
          'pareto-bits-table',
          ['W + A bits', 'weight', 'activation', unit, 'FF', 'depth'],
          front.map((x) => ({ cells: [pairBits(x), x.weight.spec, x.activation.spec, cost(x), x.counts.ff, x.counts.depth], pair: x })),
        ),
    );
  }
  if (accRows(r).length && r.accuracy) {
    out.push(
      `<h2>Pareto front of ${esc(unit)} against output SQNR, at each W + A bit budget</h2>` +
        table(
          'pareto-accuracy-table',
          ['W + A bits', 'weight', 'activation', unit, 'weight SQNR dB', 'activation SQNR dB', 'output SQNR dB'],
          paretoAccuracy(r).map((x) => ({
            cells: [pairBits(x), x.weight.spec, x.activation.spec, cost(x), x.accuracy.weightSqnrDb.toFixed(2), x.accuracy.activationSqnrDb.toFixed(2), x.accuracy.outputSqnrDb.toFixed(2)],
            pair: x,
          })),
        ),
    );
  }
  const p = r.sweep.params;
  if (p.result) {
    const withBase = okRows(r).filter((x) => x.withoutResult);
    out.push(
      `<h2>What the float result ${esc(p.result.spec)} costs</h2>` +
        table(
          'result-cost',
          ['weight', 'activation', 'LUT without', 'LUT with', 'LUT +%', 'FF without', 'FF with', 'depth without', 'depth with'],
          withBase.map((x) => {
            const b = x.withoutResult!;
            return { cells: [x.weight.spec, x.activation.spec, b.lut, x.counts.lut, b.lut > 0 ? `${((x.counts.lut / b.lut - 1) * 100).toFixed(0)}%` : '—', b.ff, x.counts.ff, b.depth, x.counts.depth], pair: x };
          }),
        ),
    );
  }
  const errors = r.rows.filter((x) => !x.ok);
  if (errors.length) {
    out.push('<h2>Failed configurations</h2>' + table('errors', ['weight', 'activation', 'error'], errors.map((x) => ({ cells: [x.weight.spec, x.activation.spec, x.error ?? ''], pair: x }))));
  }
  return out.join('\n');
}

/** The page's filter form: kind and the range of operand widths. */
function filterForm(r: SweepResults): string {
  const { lo, hi } = bitRange(r);
  const kinds = ['all', 'int × int', 'float × float', 'mixed'].map((k) => `<option value="${esc(k)}">${esc(k)}</option>`).join('');
  return (
    `<form id="filters" class="filters" onsubmit="return false"><b>Show</b> ` +
    `<label>pairs <select id="f-kind">${kinds}</select></label> ` +
    `<label>with each operand from <input id="f-min" type="number" min="${lo}" max="${hi}" value="${lo}"></label> ` +
    `<label>to <input id="f-max" type="number" min="${lo}" max="${hi}" value="${hi}"> bits</label> ` +
    `<span class="hint">(applies to every chart and table; needs scripts)</span></form>`
  );
}

/**
 * The page's script: draw each chart live over its static SVG (at the window's width), apply the
 * filters to the views and the tables, sort tables on a click. It marks the body with the number
 * of live views drawn (`data-live`), which the report test reads.
 */
const PAGE_SCRIPT = `(function () {
  var specs = JSON.parse(document.getElementById('vega-specs').textContent);
  var views = [];
  function num(id) { var v = Number(document.getElementById(id).value); return isFinite(v) ? v : 0; }
  function state() { return { kind: document.getElementById('f-kind').value, lo: num('f-min'), hi: num('f-max') }; }
  function filterTables(s) {
    var rows = document.querySelectorAll('tr[data-kind]');
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], w = Number(r.getAttribute('data-wbits')), a = Number(r.getAttribute('data-abits'));
      var show = (s.kind === 'all' || r.getAttribute('data-kind') === s.kind) && w >= s.lo && w <= s.hi && a >= s.lo && a <= s.hi;
      r.style.display = show ? '' : 'none';
    }
  }
  function apply() {
    var s = state();
    filterTables(s);
    views.forEach(function (v) { v.signal('fkind', s.kind).signal('fmin', s.lo).signal('fmax', s.hi).runAsync(); });
  }
  document.getElementById('filters').addEventListener('input', apply);
  var tables = document.querySelectorAll('table.sortable');
  for (var t = 0; t < tables.length; t++) {
    (function (tbl) {
      var ths = tbl.querySelectorAll('th');
      for (var c = 0; c < ths.length; c++) {
        (function (th, col) {
          th.addEventListener('click', function () {
            var asc = th.getAttribute('aria-sort') !== 'ascending';
            for (var k = 0; k < ths.length; k++) ths[k].removeAttribute('aria-sort');
            th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
            var body = tbl.tBodies[0], rows = Array.prototype.slice.call(body.rows);
            var key = function (r) { var s = r.cells[col].textContent.replace('\\u2212', '-'); var n = parseFloat(s); return isNaN(n) ? s : n; };
            rows.sort(function (x, y) { var a = key(x), b = key(y); var d = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)); return asc ? d : -d; });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        })(ths[c], c);
      }
    })(tables[t]);
  }
  if (typeof vega === 'undefined') return;
  Promise.all(Object.keys(specs).map(function (id) {
    var box = document.getElementById('chart-' + id);
    var live = document.createElement('div');
    live.className = 'live';
    box.appendChild(live);
    var view = new vega.View(vega.parse(specs[id]), { renderer: 'svg', container: live, hover: true });
    views.push(view);
    return view.runAsync().then(function () {
      var stat = box.querySelector(':scope > svg');
      if (stat) box.removeChild(stat);
      box.setAttribute('data-live', '1');
    });
  })).then(function () {
    document.body.setAttribute('data-live', String(views.length));
  }, function (e) {
    document.body.setAttribute('data-live', 'error');
    console.error(e);
  });
})();`;

/** The whole page (async: the charts are rendered by Vega). */
export async function indexHtml(r: SweepResults, run: string, extras: ReportExtras = {}): Promise<string> {
  const unit = costName(r);
  const p = r.sweep.params;
  const charts = await renderCharts(chartSpecs(r, extras.history ?? [], extras.targets ?? []));
  const errors = r.rows.filter((x) => !x.ok);
  const specs = Object.fromEntries(charts.map((c) => [c.id, c.live]));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>minimac synthesis sweep ${esc(run)}</title>
<style>
body{font-family:sans-serif;margin:1.5em 2em;color:#222}
.chart-box{margin:1.5em 0}.chart{width:100%;overflow-x:auto}.chart svg{max-width:100%;height:auto}.chart .live svg{max-width:none}
.note{color:#555;margin:.2em 0 .5em}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:1}.filters input{width:4em}.hint{color:#777}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{cursor:pointer;background:#f4f4f4}
th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}
tr.regression td{background:#fde0dc}pre{background:#f6f6f6;padding:1em;overflow-x:auto}
</style>
</head><body>
<h1>minimac synthesis sweep ${esc(run)}</h1>
<p>Target <b>${esc(p.target)}</b>${p.dsp ? ' (DSPs allowed)' : ' (LUT-only)'}${p.arch ? `, arch ${p.arch} (adders of LUT6_2 and ${p.arch === 'xc7' ? 'CARRY4' : 'CARRY8'})` : ', arch generic'}, ${esc(p.yosysVersion)} [${esc(p.engine)}]; ${okRows(r).length} configurations synthesized, ${errors.length} failed; sweep id <code>${esc(r.sweep.id)}</code>${r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : ''}. Hover a mark for its unit, ${esc(unit)}, FFs and depth; every count is in results.csv.</p>
${filterForm(r)}
${extras.comparison ? comparisonSection(extras.comparison, r) : ''}
${charts.map(chartBox).join('\n')}
${tables(r, extras.targets ?? [])}
<h2>Script</h2><pre>${esc(r.sweep.script)}</pre>
<script type="application/json" id="vega-specs">${scriptJson(specs)}</script>
<script>${vegaRuntime()}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
