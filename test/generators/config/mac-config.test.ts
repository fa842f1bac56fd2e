/** MacConfig: the width rules of contract §2, naming, and the bad-input table. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MacConfig,
  MAX_NAME_LENGTH,
  isLegalName,
  submoduleName,
  unitOfModule,
  type MacRequest,
} from '../../../generators/config/mac-config.ts';
import { generateVerilog } from '../../../generators/generate.ts';
import { UsageError } from '../../../generators/util/errors.ts';

describe('product and accumulator widths (contract §2)', () => {
  const rows: [MacRequest, { P: number; F: number; width: number; frac: number }][] = [
    // The contract's manifest example: e4m3 × e4m3, acc 16 → product 37 bits at frac 18, acc frac -3.
    [{ fmt: 'e4m3', acc: 16 }, { P: 37, F: 18, width: 16, frac: -3 }],
    // Default width P + ceil(log2 1024) = 47, exact frac.
    [{ fmt: 'e4m3' }, { P: 37, F: 18, width: 47, frac: 18 }],
    [{ fmt: 'int8' }, { P: 16, F: 0, width: 26, frac: 0 }],
    [{ fmt: 'int8', len: 1 }, { P: 16, F: 0, width: 16, frac: 0 }],
    [{ fmt: 'int8', len: 3 }, { P: 16, F: 0, width: 18, frac: 0 }],
    // uint1 × int2: max 1 · 2 = 2, bitlen 2, P = 3 (one more than the strict minimum).
    [{ afmt: 'uint1', wfmt: 'int2', len: 1 }, { P: 3, F: 0, width: 3, frac: 0 }],
    // e2m1: lsb = 1 - 1 - 1 = -1; max 6 = 12 units; 144 → bitlen 8, P 9, F 2.
    [{ fmt: 'e2m1', acc: 12 }, { P: 9, F: 2, width: 12, frac: 2 }],
    [{ fmt: 'e2m1', acc: 5 }, { P: 9, F: 2, width: 5, frac: -2 }],
    [{ fmt: 'e4m3', acc: 40, accFrac: 25 }, { P: 37, F: 18, width: 40, frac: 25 }],
    [{ fmt: 'e4m3', acc: 8, accFrac: -100 }, { P: 37, F: 18, width: 8, frac: -100 }],
    // Mixed: e4m3 (lsb -9, max 480 = 245760 units) × int4 (max 8): 1966080 → 21 bits, P 22.
    [{ afmt: 'e4m3', wfmt: 'int4', len: 16 }, { P: 22, F: 9, width: 26, frac: 9 }],
  ];
  it.each(rows)('%j', (req, want) => {
    const c = new MacConfig(req);
    expect({ P: c.productWidth, F: c.productFrac, width: c.accWidth, frac: c.accFrac }).toEqual(want);
  });

  it('P never exceeds 2^Ea + Ma + 2^Ew + Mw - 1 for default biases', () => {
    for (let Ea = 1; Ea <= 5; Ea++)
      for (let Ma = 0; Ma <= 4; Ma++)
        for (let Ew = 1; Ew <= 5; Ew++)
          for (let Mw = 0; Mw <= 4; Mw++) {
            if (1 + Ea + Ma < 3 || 1 + Ew + Mw < 3) continue;
            const c = new MacConfig({ afmt: `e${Ea}m${Ma}`, wfmt: `e${Ew}m${Mw}` });
            expect(c.productWidth).toBeLessThanOrEqual(2 ** Ea + Ma + 2 ** Ew + Mw - 1);
          }
  });

  it('latency is pipeline + 1; lanes widen the contribution by ceil(log2 L)', () => {
    const c = new MacConfig({ fmt: 'int4', pipeline: 3, lanes: 5 });
    expect(c.latency).toBe(4);
    expect(c.contributionWidth).toBe(c.alignedWidth + 3);
  });

  it('is frozen', () => {
    const c = new MacConfig({ fmt: 'e4m3' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.a)).toBe(true);
  });
});

describe('names', () => {
  it('default name is derived from the canonical configuration only', () => {
    const a = new MacConfig({ fmt: 'float8_e4m3fn', acc: 16 });
    const b = new MacConfig({ afmt: 'E4M3FN', wfmt: 'ocp_e4m3', acc: '16', len: 7 });
    expect(a.name).toBe('minimac_e4m3fn_x_e4m3fn_acc16_frac_n3_floor_wrap_p0_l1');
    expect(b.name).toBe(a.name);
    expect(new MacConfig({ afmt: 'e3m2b-3', wfmt: 'int4', overflow: 'sat', pipeline: 2, lanes: 4 }).name).toBe(
      'minimac_e3m2bn3_x_int4_acc23_frac_n2_floor_sat_p2_l4',
    );
    expect(isLegalName(a.name)).toBe(true);
  });
  it('different configurations get different names', () => {
    const names = new Set(
      [
        { fmt: 'e4m3' },
        { fmt: 'e4m3fn' },
        { fmt: 'e4m3', accRound: 'rne' },
        { fmt: 'e4m3', overflow: 'sat' },
        { fmt: 'e4m3', pipeline: 1 },
        { fmt: 'e4m3', lanes: 2 },
        { fmt: 'e4m3', acc: 46 },
        { fmt: 'e4m3', accFrac: 17 },
        { afmt: 'e4m3', wfmt: 'int8' },
        { afmt: 'int8', wfmt: 'e4m3' },
        { fmt: 'e4m3', clockPeriod: '3.333' },
      ].map((r) => new MacConfig(r).name),
    );
    expect(names.size).toBe(11);
  });
  it('the clock period is canonical in ps and enters the name only off the default 2.5 ns', () => {
    const rows: [string | number, number, string][] = [
      ['2.5', 2500, ''],
      ['2.500', 2500, ''],
      [2.5, 2500, ''],
      ['3.333', 3333, '_clk3p333ns'],
      ['10', 10000, '_clk10ns'],
      ['010.0', 10000, '_clk10ns'],
      ['.5', 500, '_clk0p5ns'],
      ['1000', 1000000, '_clk1000ns'],
    ];
    const base = new MacConfig({ fmt: 'e4m3' }).name;
    for (const [given, ps, suffix] of rows) {
      const c = new MacConfig({ fmt: 'e4m3', clockPeriod: given });
      expect([c.clockPeriodPs, c.name]).toEqual([ps, base + suffix]);
    }
    expect(new MacConfig({ fmt: 'e4m3' }).clockPeriodNs).toBe(2.5);
  });
  it('rejects keywords and illegal identifiers', () => {
    for (const n of ['module', 'wire', 'logic', '9abc', 'a-b', '', 'a b']) expect(isLegalName(n)).toBe(false);
    for (const n of ['mac', 'Mac_8x8', '_x', 'a$b', 'foo_lane']) expect(isLegalName(n)).toBe(true);
  });
  it('rejects names whose submodules could clash with another unit\'s: __ inside, _ at the end, too long', () => {
    for (const n of ['foo__lane', 'a__', 'foo_', '_', '__x', 'x'.repeat(MAX_NAME_LENGTH + 1)]) expect(isLegalName(n)).toBe(false);
    expect(isLegalName('x'.repeat(MAX_NAME_LENGTH))).toBe(true);
  });

  // Names built from the characters that matter (`_` often, so `__` and trailing `_` come up).
  const nameArb = fc
    .tuple(fc.constantFrom('a', 'Z', '_'), fc.array(fc.constantFrom('a', 'b', '_', '1', '$'), { maxLength: 12 }))
    .map(([h, t]) => h + t.join(''));
  const parts = ['dec', 'dec_a', 'dec_w', 'lane'];

  it('property: every module name determines its unit, so two legal units never share a module', () => {
    fc.assert(
      fc.property(nameArb, nameArb, fc.constantFrom(...parts), fc.constantFrom(...parts), (n1, n2, p1, p2) => {
        fc.pre(isLegalName(n1) && isLegalName(n2));
        const mods1 = [n1, submoduleName(n1, p1)];
        for (const m of mods1) expect(unitOfModule(m)).toBe(n1);
        if (n1 !== n2) for (const m of [n2, submoduleName(n2, p2)]) expect(mods1).not.toContain(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: default names pass the name rule, and every module of a unit maps back to it', () => {
    const fmts = ['e4m3', 'e2m1fn', 'e3m2b-3', 'e4m3b11fnuz', 'e5m2ieee', 'int4', 'uint3', 'e1m2'];
    fc.assert(
      fc.property(
        fc.constantFrom(...fmts),
        fc.constantFrom(...fmts),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 2, max: 40 }), { nil: undefined }),
        (afmt, wfmt, pipeline, lanes, acc) => {
          const cfg = new MacConfig({ afmt, wfmt, pipeline, lanes, acc });
          expect(isLegalName(cfg.name)).toBe(true);
          const mods = [...generateVerilog(cfg).matchAll(/^module (\S+)/gm)].map((m) => m[1]);
          expect(mods[0]).toBe(cfg.name);
          for (const m of mods) expect(unitOfModule(m)).toBe(cfg.name);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('bad input names the flag and the rule', () => {
  const table: [MacRequest, string][] = [
    [{}, 'error: the activation side has no format: give --fmt or --afmt (--afmt)'],
    [{ afmt: 'e4m3' }, 'error: the weight side has no format: give --fmt or --wfmt (--wfmt)'],
    [{ fmt: 'e0m3' }, 'error: exponent bits must be 1 to 8, not 0 (--fmt)'],
    [{ fmt: 'e4m3', wfmt: 'int1' }, 'error: int width must be 2 to 16, not 1 (--wfmt)'],
    [{ fmt: 'e4m3', acc: 1 }, 'error: acc width must be at least 2, not 1 (--acc)'],
    [{ fmt: 'e4m3', acc: '16.5' }, "error: acc width must be an integer, not '16.5' (--acc)"],
    [{ fmt: 'e4m3', acc: 5000 }, 'error: acc width must be at most 4096, not 5000 (--acc)'],
    [{ fmt: 'e4m3', accFrac: 'x' }, "error: acc frac must be an integer, not 'x' (--acc-frac)"],
    [{ fmt: 'e4m3', accFrac: 9000 }, 'error: acc frac must be within 4096 of the exact frac 18, not 9000 (--acc-frac)'],
    [{ fmt: 'e4m3', accRound: 'ceil' }, "error: acc rounding must be floor or rne, not 'ceil' (--acc-round)"],
    [{ fmt: 'e4m3', overflow: 'clip' }, "error: overflow mode must be wrap or sat, not 'clip' (--overflow)"],
    [{ fmt: 'e4m3', lanes: 0 }, 'error: lanes must be at least 1, not 0 (--lanes)'],
    [{ fmt: 'e4m3', pipeline: -1 }, 'error: pipeline depth must be at least 0, not -1 (--pipeline)'],
    [{ fmt: 'e4m3', len: 0 }, 'error: len must be at least 1, not 0 (--len)'],
    ...['abc', '2.5ns', '-1', '1e3', '2.5555', '', '.', '2,5'].map((v): [MacRequest, string] => [
      { fmt: 'e4m3', clockPeriod: v },
      `error: clock period must be a decimal number of ns with at most 3 decimals (e.g. 2.5), not '${v}' (--clock-period)`,
    ]),
    ...['0', '0.499', '1000.001', '5000'].map((v): [MacRequest, string] => [
      { fmt: 'e4m3', clockPeriod: v },
      `error: clock period must be from 0.5 to 1000 ns, not ${v} (--clock-period)`,
    ]),
    [
      { fmt: 'e4m3', name: 'module' },
      "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not 'module' (--name)",
    ],
    [
      { fmt: 'e4m3', name: '3mac' },
      "error: name must be a legal Verilog identifier (letters, digits, _ and $, not starting with a digit) and not a keyword, not '3mac' (--name)",
    ],
    [
      { fmt: 'e4m3', name: 'foo__lane' },
      "error: name must not contain '__' or end with '_', since the unit's submodules are named <name>__<part> and could then clash with another unit's, not 'foo__lane' (--name)",
    ],
    [
      { fmt: 'e4m3', name: 'foo_' },
      "error: name must not contain '__' or end with '_', since the unit's submodules are named <name>__<part> and could then clash with another unit's, not 'foo_' (--name)",
    ],
    [{ fmt: 'e4m3', name: 'n'.repeat(101) }, 'error: name must be at most 100 characters, not 101 (--name)'],
    [{ fmt: 'e4m3', name: 'n'.repeat(200) }, 'error: name must be at most 100 characters, not 200 (--name)'],
  ];
  it.each(table)('%j', (req, line) => {
    let err: unknown;
    try {
      new MacConfig(req);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toBe(line);
  });
});
