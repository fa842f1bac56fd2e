/**
 * What every chart of a report page must have, checked on its SVG (static or drawn live):
 * axis titles, a legend when it encodes something in colour, and the Pareto front's line on the
 * charts that have one. Returns what is missing, so a failure names the chart and the part.
 */
export function chartProblems(id: string, coloured: boolean, svg: string): string[] {
  const out: string[] = [];
  if ((svg.match(/<svg/g)?.length ?? 0) !== 1) out.push(`${id}: not exactly one <svg>`);
  if ((svg.match(/class="mark-text role-axis-title"/g)?.length ?? 0) < 2) out.push(`${id}: fewer than 2 axis titles`);
  if (coloured && !/class="mark-group role-legend"/.test(svg)) out.push(`${id}: colours but no legend`);
  // A legend must say what its colours mean: at least two labels with text (Vega drops labels it
  // finds overlapping, and once dropped every one of a short log-scale gradient).
  const labels = [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>([\s\S]*?)<\/g>/g)].flatMap((m) => [...m[1].matchAll(/<text[^>]*>([^<]+)<\/text>/g)]);
  if (coloured && /class="mark-group role-legend"/.test(svg) && labels.length < 2) out.push(`${id}: a legend without labels`);
  if ((id === 'pareto-bits' || id === 'accuracy') && !/class="mark-line role-mark pareto_marks"/.test(svg)) out.push(`${id}: no Pareto line`);
  return out;
}
