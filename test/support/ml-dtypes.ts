/** The ml_dtypes 0.6.0 ground truth of test/fixtures, and the readers of its number texts. */
import { readFileSync } from 'node:fs';

/** One ml_dtypes type: finfo, every code's exact value, and encodings (input, non-saturating code, numpy's astype). */
export interface RefType {
  bits: number;
  finfo: { max: string; smallest_normal: string; smallest_subnormal: string };
  decode: string[];
  encode: [string, number, number][];
}
/** The fixture, by ml_dtypes type name. */
export const REF = JSON.parse(readFileSync(new URL('../fixtures/ml_dtypes-0.6.0.json', import.meta.url), 'utf8')) as {
  types: Record<string, RefType>;
};

/** "p/q", an integer, "nan", "inf" or "-inf" → number. */
export function ratio(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const [p, q] = s.split('/');
  return Number(p) / (q === undefined ? 1 : Number(q));
}

/** A double from Python's float.hex() text, with nan/-nan carrying their sign bit. */
export function fromHex(h: string): number {
  if (h === 'nan' || h === '-nan') {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, NaN);
    v.setUint8(0, (v.getUint8(0) & 0x7f) | (h === '-nan' ? 0x80 : 0));
    return v.getFloat64(0);
  }
  if (h === 'inf') return Infinity;
  if (h === '-inf') return -Infinity;
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(h);
  if (!m) throw new Error(`bad hex float ${h}`);
  const v = (Number(m[2]) + parseInt(m[3], 16) / 16 ** m[3].length) * 2 ** Number(m[4]);
  return m[1] ? -v : v;
}

