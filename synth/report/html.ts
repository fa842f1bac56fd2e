/**
 * index.html of a sweep: one self-contained page (no external resources) with inline SVG charts,
 * drawn here rather than in the browser: the cost heat map over (weight, activation), cost against
 * bit width for integers and minifloats, cost against FFs, and cost against SQNR when present.
 */
import type { SweepResults } from '../sweep.ts';
import { accRows, cost, costName, diagonal, floatVsInt, grid, okRows, pairBits, paretoAccuracy, paretoBits, type OkRow } from './tables.ts';

/** Escape text for HTML and SVG. */
function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A colour from blue (low) to red (high) for t in [0, 1]. */
function ramp(t: number): string {
  const h = 240 - 240 * Math.max(0, Math.min(1, t));
  return `hsl(${h.toFixed(0)},70%,55%)`;
}

/** Heat map: one cell per pair, coloured on a log scale of cost, with the number written in. */
function heatMap(r: SweepResults): string {
  const g = grid(r);
  const costs = okRows(r).map(cost).filter((c) => c > 0);
  const lo = Math.log(Math.min(...costs, 1));
  const hi = Math.log(Math.max(...costs, 2));
  const cw = 34;
  const ch = 20;
  const left = 80;
  const top = 70;
  const W = left + cw * g.activations.length + 20;
  const H = top + ch * g.weights.length + 20;
  const parts: string[] = [];
  g.activations.forEach((a, j) =>
    parts.push(`<text x="${left + j * cw + cw / 2}" y="${top - 6}" transform="rotate(-60 ${left + j * cw + cw / 2} ${top - 6})" font-size="10">${esc(a)}</text>`),
  );
  g.weights.forEach((w, i) => {
    parts.push(`<text x="${left - 4}" y="${top + i * ch + ch * 0.7}" text-anchor="end" font-size="10">${esc(w)}</text>`);
    g.activations.forEach((a, j) => {
      const x = g.at(w, a);
      const X = left + j * cw;
      const Y = top + i * ch;
      if (!x) return;
      if (!x.ok || !x.counts) {
        parts.push(`<rect x="${X}" y="${Y}" width="${cw - 1}" height="${ch - 1}" fill="#888"><title>${esc(`W ${w} × A ${a}: failed`)}</title></rect>`);
        return;
      }
      const c = cost(x as OkRow);
      const t = c > 0 ? (Math.log(c) - lo) / Math.max(hi - lo, 1e-9) : 0;
      parts.push(
        `<rect x="${X}" y="${Y}" width="${cw - 1}" height="${ch - 1}" fill="${ramp(t)}"><title>${esc(`W ${w} × A ${a}: ${c} ${costName(r)}, ${x.counts.ff} FF, depth ${x.counts.depth}`)}</title></rect>` +
          `<text x="${X + cw / 2}" y="${Y + ch * 0.68}" text-anchor="middle" font-size="9">${c}</text>`,
      );
    });
  });
  parts.push(`<text x="4" y="14" font-size="11">rows: weight format; columns: activation format</text>`);
  return svg('heatmap', W, H, parts.join(''));
}

function svg(id: string, w: number, h: number, body: string): string {
  return `<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">${body}</svg>`;
}

interface Point {
  readonly x: number;
  readonly y: number;
  readonly colour: string;
  readonly label: string;
  readonly big?: boolean;
}

interface Series {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly { x: number; y: number }[];
}

/** An x-y chart: dots with tooltips, optional polylines, log-scaled y when the data span a decade or more. */
function xyChart(id: string, xLabel: string, yLabel: string, points: readonly Point[], lines: readonly Series[] = []): string {
  const W = 640;
  const H = 380;
  const L = 60;
  const B = 44;
  const T = 16;
  const R = 150;
  const xs = [...points.map((p) => p.x), ...lines.flatMap((s) => s.points.map((p) => p.x))];
  const ys = [...points.map((p) => p.y), ...lines.flatMap((s) => s.points.map((p) => p.y))];
  if (xs.length === 0) return svg(id, W, 40, '<text x="10" y="24">no data</text>');
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) === x0 ? x0 + 1 : Math.max(...xs);
  const yPos = ys.filter((y) => y > 0);
  const logY = yPos.length === ys.length && Math.max(...ys) / Math.max(Math.min(...ys), 1e-9) >= 10;
  const fy = (y: number) => (logY ? Math.log10(y) : y);
  const y0 = logY ? Math.floor(fy(Math.min(...ys))) : Math.min(0, ...ys);
  const y1 = logY ? Math.ceil(fy(Math.max(...ys))) : Math.max(...ys) === y0 ? y0 + 1 : Math.max(...ys);
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => H - B - ((fy(y) - y0) / (y1 - y0 || 1)) * (H - B - T);
  const parts: string[] = [];
  parts.push(`<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`);
  // Integer data (bits, FFs) gets integer ticks; anything else six even steps.
  const intX = xs.every((x) => Number.isInteger(x));
  const step = intX ? Math.max(1, Math.ceil((x1 - x0) / 6)) : (x1 - x0) / 6;
  for (let v = x0; v <= x1 + 1e-9; v += step) {
    parts.push(`<text x="${px(v)}" y="${H - B + 14}" text-anchor="middle" font-size="10">${esc(Number.isInteger(v) ? v : v.toFixed(1))}</text>`);
  }
  const yTicks = logY ? Array.from({ length: y1 - y0 + 1 }, (_, i) => 10 ** (y0 + i)) : Array.from({ length: 6 }, (_, i) => y0 + ((y1 - y0) * i) / 5);
  for (const v of yTicks) {
    parts.push(`<line x1="${L - 3}" y1="${py(v)}" x2="${W - R}" y2="${py(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${L - 5}" y="${py(v) + 3}" text-anchor="end" font-size="10">${esc(Number.isInteger(v) ? v : v.toFixed(1))}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  parts.push(`<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">${esc(yLabel)}${logY ? ' (log)' : ''}</text>`);
  for (const p of points) {
    parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="${p.big ? 5 : 3}" fill="${p.colour}" fill-opacity="0.75"><title>${esc(p.label)}</title></circle>`);
  }
  lines.forEach((s, i) => {
    if (s.points.length) {
      parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    }
    parts.push(`<rect x="${W - R + 10}" y="${T + i * 18}" width="12" height="12" fill="${s.colour}"/><text x="${W - R + 26}" y="${T + i * 18 + 10}" font-size="11">${esc(s.name)}</text>`);
  });
  return svg(id, W, H, parts.join(''));
}

const INT = '#d62728';
const FLOAT = '#1f77b4';
const OTHER = '#7f7f7f';

function kindColour(x: OkRow): string {
  if (x.weight.kind === 'int' && x.activation.kind === 'int') return INT;
  if (x.weight.kind === 'float' && x.activation.kind === 'float') return FLOAT;
  return OTHER;
}

function pairLabel(x: OkRow, unit: string): string {
  return `W ${x.weight.spec} × A ${x.activation.spec}: ${cost(x)} ${unit}, ${x.counts.ff} FF, depth ${x.counts.depth}`;
}

/** The whole page. */
export function indexHtml(r: SweepResults, run: string): string {
  const unit = costName(r);
  const p = r.sweep.params;
  const diag = diagonal(r);
  const vs = floatVsInt(r);
  const charts: string[] = [];
  charts.push(`<h2>${esc(unit)} over (weight format, activation format)</h2>` + heatMap(r));
  charts.push(
    `<h2>${esc(unit)} against bit width, same-format pairs</h2>` +
      xyChart(
        'bits',
        'bits per operand (W = A)',
        unit,
        diag.map((x) => ({ x: x.weight.bits, y: Math.max(cost(x), 1), colour: x.weight.kind === 'int' ? INT : FLOAT, label: pairLabel(x, unit) })),
        [
          { name: 'int', colour: INT, points: vs.filter((v) => v.int).map((v) => ({ x: v.bits, y: Math.max(cost(v.int as OkRow), 1) })) },
          { name: 'best minifloat', colour: FLOAT, points: vs.filter((v) => v.bestFloat).map((v) => ({ x: v.bits, y: Math.max(cost(v.bestFloat as OkRow), 1) })) },
        ],
      ),
  );
  const front = paretoBits(r);
  charts.push(
    `<h2>${esc(unit)} against operand bits (W + A), every pair; Pareto front drawn</h2>` +
      xyChart(
        'pareto-bits',
        'operand bits W + A',
        unit,
        okRows(r).map((x) => ({ x: pairBits(x), y: Math.max(cost(x), 1), colour: kindColour(x), label: pairLabel(x, unit) })),
        [{ name: 'Pareto front', colour: '#2ca02c', points: front.map((x) => ({ x: pairBits(x), y: Math.max(cost(x), 1) })) }],
      ),
  );
  charts.push(
    `<h2>${esc(unit)} against FFs</h2>` +
      xyChart(
        'lut-ff',
        'flip-flops',
        unit,
        okRows(r).map((x) => ({ x: x.counts.ff, y: Math.max(cost(x), 1), colour: kindColour(x), label: pairLabel(x, unit) })),
        [
          { name: 'int × int', colour: INT, points: [] },
          { name: 'float × float', colour: FLOAT, points: [] },
          { name: 'mixed', colour: OTHER, points: [] },
        ],
      ),
  );
  const acc = accRows(r);
  if (acc.length && r.accuracy) {
    const pa = new Set(paretoAccuracy(r).map((x) => x.index));
    charts.push(
      `<h2>${esc(unit)} against output SQNR; Pareto-optimal pairs of each bit budget enlarged</h2><p>${esc(r.accuracy.setup)} (${esc(r.accuracy.source)})</p>` +
        xyChart(
          'accuracy',
          'output SQNR (dB)',
          unit,
          acc.map((x) => ({
            x: x.accuracy.outputSqnrDb,
            y: Math.max(cost(x), 1),
            colour: kindColour(x),
            big: pa.has(x.index),
            label: `${pairLabel(x, unit)}, output SQNR ${x.accuracy.outputSqnrDb.toFixed(2)} dB${pa.has(x.index) ? ' (Pareto-optimal at ' + pairBits(x) + ' bits)' : ''}`,
          })),
        ),
    );
  }
  const rows = diag
    .map((x) => `<tr><td>${esc(x.weight.spec)}</td><td>${x.counts.lut}</td><td>${x.counts.ff}</td><td>${x.counts.carry}</td><td>${x.counts.dsp}</td><td>${x.counts.gates}</td><td>${x.counts.depth}</td></tr>`)
    .join('');
  const errors = r.rows.filter((x) => !x.ok);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>minimac synthesis sweep ${esc(run)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1400px}svg.chart{display:block;margin:1em 0;border:1px solid #eee}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}pre{background:#f6f6f6;padding:1em}</style>
</head><body>
<h1>minimac synthesis sweep ${esc(run)}</h1>
<p>Target <b>${esc(p.target)}</b>${p.dsp ? ' (DSPs allowed)' : ' (LUT-only)'}, ${esc(p.yosysVersion)} [${esc(p.engine)}]; ${okRows(r).length} configurations synthesized, ${errors.length} failed; sweep id <code>${esc(r.sweep.id)}</code>. Hover a mark for its numbers. The tables are in index.md, every count in results.csv.</p>
${charts.join('\n')}
<h2>Same-format pairs</h2>
<table><tr><th>format</th><th>LUT</th><th>FF</th><th>carry</th><th>DSP</th><th>gates</th><th>depth</th></tr>${rows}</table>
${errors.length ? `<h2>Failed configurations</h2><ul>${errors.map((x) => `<li>${esc(x.weight.spec)} × ${esc(x.activation.spec)}: ${esc(x.error ?? '')}</li>`).join('')}</ul>` : ''}
<h2>Script</h2><pre>${esc(r.sweep.script)}</pre>
<script>
// Rendering check read by the report test: every chart has laid out with a non-empty box.
(function () {
  var charts = document.querySelectorAll('svg.chart');
  var drawn = 0;
  for (var i = 0; i < charts.length; i++) {
    var b = charts[i].getBBox();
    if (b.width > 0 && b.height > 0 && charts[i].childElementCount > 0) drawn++;
  }
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-drawn', String(drawn));
})();
</script>
</body></html>
`;
}
