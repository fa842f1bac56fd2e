/**
 * Vega-Lite charts of a report: each chart is a Vega-Lite spec, compiled here to Vega once and
 * rendered to SVG when the report is written (so the page reads offline, with no script at all),
 * and the compiled spec is kept for the page's live view (tooltips, filters, width of the window),
 * which the inlined Vega runtime draws over the static picture.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A chart of the page: its id, a title, the static SVG and the compiled Vega spec of the live view. */
export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  /** A note shown under the title (what the marks mean), or ''. */
  readonly note: string;
  readonly svg: string;
  readonly live: vega.Spec;
  /** Whether the chart encodes something in colour (so it must carry a legend). */
  readonly coloured: boolean;
}

/** A chart before rendering: the Vega-Lite spec and whether its width follows the page. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly note?: string;
  readonly spec: TopLevelSpec;
  /** x-y charts take the page's width in the live view; the heat map keeps one step per cell. */
  readonly fluid: boolean;
  readonly coloured: boolean;
}

/** Width of the static SVG of a fluid chart (the live view then takes the page's width). */
export const STATIC_WIDTH = 760;

/**
 * Give every mark with an accessible description a `<title>` child, so the static SVG shows the
 * same tooltip text as the live view (Vega writes the description into `aria-label` only).
 */
function withTitles(svg: string): string {
  return svg.replace(/<(path|rect|circle|text|line)(\s[^>]*?)\/>/g, (all, tag: string, attrs: string) => {
    const label = /\saria-label="([^"]*)"/.exec(attrs);
    return label && /\srole="graphics-symbol"/.test(attrs) ? `<${tag}${attrs}><title>${label[1]}</title></${tag}>` : all;
  });
}

/**
 * Name the SVG's own ids (gradients, clip paths) after the chart, numbered from 0 in each: Vega
 * numbers them with one counter for the whole process, so without this the same chart would come
 * out with other ids after other renders, and two charts of one page could share an id.
 */
function ownIds(svg: string, chart: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([A-Za-z_]+?)_?(\d+)"/g)) if (!ids.has(m[0])) ids.set(`${m[1]}_${m[2]}`, `${chart}-${m[1]}-${ids.size}`);
  return svg.replace(/(\sid="|url\(#)([A-Za-z_]+?_\d+)(?=[")])/g, (all, lead: string, id: string) => (ids.has(id) ? lead + ids.get(id) : all));
}

/** Compile a Vega-Lite spec to Vega, with the width fixed (static) or taken from the container (live). */
function compiled(c: ChartSpec, live: boolean): vega.Spec {
  const spec = { ...c.spec } as TopLevelSpec & { width?: unknown; autosize?: unknown };
  if (c.fluid) {
    spec.width = live ? 'container' : STATIC_WIDTH;
    spec.autosize = { type: 'fit-x', contains: 'padding' };
  }
  return compile(spec).spec;
}

/** Render each chart to SVG (in order; deterministic: Vega measures text by estimate, with no canvas). */
export async function renderCharts(charts: readonly ChartSpec[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) {
    const view = new vega.View(vega.parse(compiled(c, false)), { renderer: 'none' });
    const svg = ownIds(withTitles(await view.toSVG()), c.id);
    view.finalize();
    out.push({ id: c.id, title: c.title, note: c.note ?? '', svg, live: compiled(c, true), coloured: c.coloured });
  }
  return out;
}

/** The minified Vega runtime, for inlining in the page (its `</script` made harmless). */
export function vegaRuntime(): string {
  // vega's package exports only its module build; the browser bundle sits beside it in build/.
  const entry = createRequire(import.meta.url).resolve('vega');
  const js = readFileSync(join(dirname(entry), 'vega.min.js'), 'utf8');
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
