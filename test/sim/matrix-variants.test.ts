/**
 * Verify matrix, part 2: every variant and alias of the contract, and edge-case formats
 * (M = 0 with fn/ieee, E = 1 with ieee, explicit biases, 16-bit formats with wide accumulators).
 */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { FORMAT_ALIASES } from '../../generators/formats/format.ts';
import { matrix, title } from './support.ts';

const variants = [
  'e4m3fn', 'e5m2ieee', 'e4m3ieee', 'e3m4ieee', 'e4m3fnuz', 'e5m2fnuz', 'e4m3b11fnuz', 'e3m2fn', 'e2m3fn', 'e2m1fn',
  'e2m0ieee', 'e3m0fn', 'e1m2ieee', 'e2m1fnuz', 'e3m2b-3', 'e4m3b11', 'uint4', 'uint8', 'int2', 'uint1',
];
const wide: MacRequest[] = [
  { afmt: 'e5m10ieee', wfmt: 'e5m10ieee' },
  { afmt: 'e8m7', wfmt: 'int8', acc: 300 },
  { afmt: 'int16', wfmt: 'uint16', acc: 40 },
];
const reqs: MacRequest[] = [...variants.map((fmt) => ({ fmt })), ...wide];
const check = matrix(reqs);

describe('verify: every variant and alias of the contract (Verilator and Icarus)', () => {
  it('each alias is the very unit of its canonical spec, so verifying one verifies both', () => {
    for (const [alias, spec] of Object.entries(FORMAT_ALIASES)) {
      expect(new MacConfig({ fmt: alias }).name).toBe(new MacConfig({ fmt: spec }).name);
    }
    const canonical = new Set(Object.values(FORMAT_ALIASES));
    for (const spec of canonical) expect(['e4m3fn', 'e5m2ieee', 'e4m3ieee', 'e3m4ieee', 'e4m3fnuz', 'e5m2fnuz', 'e4m3b11fnuz', 'e3m2', 'e2m3', 'e2m1']).toContain(spec);
  });
  for (const req of reqs) it.concurrent(title(req), async () => void (await check(req)));
});
