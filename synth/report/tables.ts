/**
 * The numbers behind every report: the cost of a row, the W × A grid, minifloat vs integer at
 * equal bits, the Pareto fronts (cost against bits; cost against SQNR at each bit budget).
 */
import type { TargetRun } from '../baseline.ts';
import type { SweepResults, SweepRow } from '../sweep.ts';

/** A row that synthesized, with its counts present. */
export type OkRow = SweepRow & { counts: NonNullable<SweepRow['counts']> };

/** The rows that synthesized. */
export function okRows(r: SweepResults): OkRow[] {
  return r.rows.filter((x): x is OkRow => x.ok && x.counts !== null);
}

/** The cost measure of a target: LUTs, or gates on the technology-independent target. */
export function costName(r: SweepResults): string {
  return r.sweep.params.target === 'gates' ? 'gates' : 'LUTs';
}

/** A row's cost (LUTs, or gates on the gates target). */
export function cost(row: OkRow): number {
  return row.target === 'gates' ? row.counts.gates : row.counts.lut;
}

/** Operand bits of a pair: weight bits + activation bits. */
export function pairBits(row: SweepRow): number {
  return row.weight.bits + row.activation.bits;
}

/** The W × A grid: weight specs (rows), activation specs (columns) and the row of each cell. */
export function grid(r: SweepResults): { weights: string[]; activations: string[]; at: (w: string, a: string) => SweepRow | undefined } {
  const weights = [...r.sweep.params.weights];
  const activations = [...r.sweep.params.activations];
  const map = new Map(r.rows.map((x) => [`${x.weight.spec}|${x.activation.spec}`, x]));
  return { weights, activations, at: (w, a) => map.get(`${w}|${a}`) };
}

/** Same-format pairs (weight format = activation format), in sweep order. */
export function diagonal(r: SweepResults): OkRow[] {
  return okRows(r).filter((x) => x.weight.spec === x.activation.spec);
}

/** One line of "minifloat vs integer at equal bits". */
export interface VsRow {
  readonly bits: number;
  readonly bestFloat: OkRow | null;
  readonly int: OkRow | null;
}

/** For each width with same-format pairs: the cheapest minifloat × itself against int × int. */
export function floatVsInt(r: SweepResults): VsRow[] {
  const byBits = new Map<number, VsRow>();
  for (const x of diagonal(r)) {
    const b = x.weight.bits;
    const cur = byBits.get(b) ?? { bits: b, bestFloat: null, int: null };
    if (x.weight.kind === 'int') byBits.set(b, { ...cur, int: x });
    else if (!cur.bestFloat || cost(x) < cost(cur.bestFloat)) byBits.set(b, { ...cur, bestFloat: x });
  }
  return [...byBits.values()].sort((a, b) => a.bits - b.bits);
}

/** Pairs no other pair beats: none has at least as many bits and no more cost, with one strictly better. */
export function paretoBits(r: SweepResults): OkRow[] {
  const rows = okRows(r);
  const front = rows.filter(
    (x) => !rows.some((y) => pairBits(y) >= pairBits(x) && cost(y) <= cost(x) && (pairBits(y) > pairBits(x) || cost(y) < cost(x))),
  );
  return front.sort((a, b) => pairBits(a) - pairBits(b) || cost(a) - cost(b) || a.index - b.index);
}

/** A row with its accuracy present. */
export type AccRow = OkRow & { accuracy: NonNullable<SweepRow['accuracy']> };

/** Rows with an accuracy figure. */
export function accRows(r: SweepResults): AccRow[] {
  return okRows(r).filter((x): x is AccRow => x.accuracy !== undefined);
}

/**
 * At each total bit budget (weight + activation bits), the pairs of that budget that no other pair
 * of the same budget beats on both cost (fewer) and output SQNR (higher).
 */
export function paretoAccuracy(r: SweepResults): AccRow[] {
  const rows = accRows(r);
  const front = rows.filter((x) => {
    const q = x.accuracy.outputSqnrDb;
    return !rows.some(
      (y) =>
        pairBits(y) === pairBits(x) &&
        cost(y) <= cost(x) &&
        y.accuracy.outputSqnrDb >= q &&
        (cost(y) < cost(x) || y.accuracy.outputSqnrDb > q),
    );
  });
  return front.sort((a, b) => pairBits(a) - pairBits(b) || cost(a) - cost(b) || a.index - b.index);
}

/**
 * The same-format pairs of a multi-target run side by side: a heading (format, then cost, FF and
 * depth per target) and one row per format (by width, then sweep order), '—' where a target lacks it.
 */
export function targetGrid(targets: readonly TargetRun[]): { head: string[]; rows: { pair: OkRow; cells: (string | number)[] }[] } {
  const byTarget = targets.map((t) => new Map(diagonal(t.results).map((x) => [x.weight.spec, x])));
  const formats = [...new Map(targets.flatMap((t) => diagonal(t.results)).map((x) => [x.weight.spec, x] as const)).values()].sort(
    (a, b) => a.weight.bits - b.weight.bits || a.index - b.index,
  );
  const head = ['format', ...targets.flatMap((t) => [`${costName(t.results)} ${t.target}`, `FF ${t.target}`, `depth ${t.target}`])];
  const rows = formats.map((f) => ({
    pair: f,
    cells: [
      f.weight.spec,
      ...byTarget.flatMap((m): (string | number)[] => {
        const x = m.get(f.weight.spec);
        return x ? [cost(x), x.counts.ff, x.counts.depth] : ['—', '—', '—'];
      }),
    ],
  }));
  return { head, rows };
}
