/** Verify matrix, part 1: every same-format pair of the 27 minifloats ExMy of 3–8 bits, and int3..int8. */
import { describe, expect, it } from 'vitest';
import type { MacRequest } from '../../generators/config/mac-config.ts';
import { formatsOfWidth } from '../../generators/formats/format.ts';
import { matrix, title } from './support.ts';

const formats: string[] = [];
for (let bits = 3; bits <= 8; bits++) formats.push(...formatsOfWidth(bits));
const reqs: MacRequest[] = formats.map((fmt) => ({ fmt }));
const check = matrix(reqs);

describe('verify: same-format units of 3–8 bits (Verilator and Icarus)', () => {
  it('covers the 27 minifloats and int3..int8', () => {
    expect(formats.filter((f) => f.startsWith('e'))).toHaveLength(27);
    expect(formats.filter((f) => f.startsWith('int'))).toEqual(['int3', 'int4', 'int5', 'int6', 'int7', 'int8']);
  });
  for (const req of reqs) it.concurrent(title(req), async () => void (await check(req)));
});
