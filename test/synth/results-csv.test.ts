/**
 * results.csv on small hand-built sweep results: the unit name column right after `index`, SQNR
 * at 2 decimals (and `inf` for a noiseless format), blank cells where a row has no figure, and the
 * SQNR columns only when some row has accuracy.
 */
import { describe, expect, it } from 'vitest';
import { resultsCsv } from '../../synth/report/text.ts';
import type { SweepResults, SweepRow } from '../../synth/sweep.ts';
import type { Counts } from '../../synth/synth.ts';

const counts: Counts = {
  lut: 36,
  lutBySize: { LUT2: 6, LUT6: 30 },
  ff: 13,
  carry: 3,
  mux: { MUXF7: 1 },
  dsp: 0,
  srl: 0,
  gates: 0,
  depth: 10,
  cells: { LUT2: 6, LUT6: 30, FDRE: 13, CARRY4: 3, MUXF7: 1 },
};

function row(index: number, w: string, a: string, extra: Partial<SweepRow> = {}): SweepRow {
  const side = (spec: string) => ({ spec, kind: spec.startsWith('int') ? ('int' as const) : ('float' as const), bits: 3 });
  return {
    index,
    weight: side(w),
    activation: side(a),
    name: `mac_${w}_${a}`,
    target: 'xc7',
    productWidth: 5,
    accWidth: 12,
    accFrac: 2,
    key: `k${index}`,
    ok: true,
    counts,
    error: null,
    logTail: null,
    ...extra,
  };
}

function results(rows: SweepRow[]): SweepResults {
  return {
    schema: 1,
    sweep: {
      id: 'test',
      params: { weights: ['e1m1', 'int3'], activations: ['e1m1'], target: 'xc7', dsp: false, engine: 'wasm', yosysVersion: 'v', acc: 12, len: null },
      script: '',
    },
    rows,
  };
}

const parse = (csv: string) => csv.trimEnd().split('\n').map((l) => l.split(','));

describe('resultsCsv', () => {
  it('puts the unit name after index and prints SQNR with 2 decimals', () => {
    const csv = resultsCsv(
      results([
        row(0, 'e1m1', 'e1m1', { accuracy: { weightSqnrDb: 9.123456789012345, activationSqnrDb: 12.3456, outputSqnrDb: -0.0001 } }),
        row(1, 'int3', 'e1m1', { accuracy: { weightSqnrDb: Infinity, activationSqnrDb: 7, outputSqnrDb: 15.996 } }),
        row(2, 'e1m1', 'int3', { ok: false, counts: null, error: 'yosys failed', logTail: 'x' }),
      ]),
    );
    const [head, ...body] = parse(csv);
    expect(head.slice(0, 3)).toEqual(['index', 'name', 'weight']);
    expect(head.slice(-4)).toEqual(['weight_sqnr_db', 'activation_sqnr_db', 'output_sqnr_db', 'error']);
    const col = (name: string) => body.map((r) => r[head.indexOf(name)]);
    expect(col('name')).toEqual(['mac_e1m1_e1m1', 'mac_int3_e1m1', 'mac_e1m1_int3']);
    expect(col('weight_sqnr_db')).toEqual(['9.12', 'inf', '']);
    expect(col('activation_sqnr_db')).toEqual(['12.35', '7.00', '']);
    expect(col('output_sqnr_db')).toEqual(['0.00', '16.00', '']);
    // Counts stay integers; a failed row has blank counts and its error.
    expect(col('lut')).toEqual(['36', '36', '']);
    expect(col('lut2')).toEqual(['6', '6', '']);
    expect(col('muxf7')).toEqual(['1', '1', '']);
    expect(col('error')).toEqual(['', '', 'yosys failed']);
    expect(body.every((r) => r.length === head.length)).toBe(true);
  });

  it('has no SQNR columns when no row has accuracy, and a blank name for a unit never generated', () => {
    const [head, ...body] = parse(resultsCsv(results([row(0, 'e1m1', 'e1m1'), row(1, 'int3', 'e1m1', { name: '', ok: false, counts: null, error: 'generation failed' })])));
    expect(head.some((h) => h.includes('sqnr'))).toBe(false);
    expect(head[1]).toBe('name');
    expect(body.map((r) => r[1])).toEqual(['mac_e1m1_e1m1', '']);
  });
});
