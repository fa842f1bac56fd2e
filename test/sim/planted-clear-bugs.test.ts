/**
 * The stimulus blind spot the mutation bench found (issue 12): bugs that fail to clear ovf on clr
 * without en, on a clearing beat, or on rst. On an accumulator so wide that the overflow runs of
 * segment 3 are skipped (more than MAX_OVERFLOW_RUN beats), no beat ever overflows, so only
 * segment 5b's injected states ending in an idle clr, a clearing beat or a rst can show them. Each
 * bug is planted with its bench operator (bench/mutation/operators.ts) and must FAIL, with a
 * mismatch inside segment 5b (not only at cycle 0, where Verilator's random power-up value of ovf
 * may show a rst bug by luck).
 */
import { describe, expect, it } from 'vitest';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { mutate, operatorsNamed } from '../../bench/mutation/operators.ts';
import { laneProduct } from '../../generators/golden/mac-model.ts';
import { MAX_OVERFLOW_RUN, maxProductCodes } from '../../sim/stimulus.ts';
import { formatReport, verifyUnit } from '../../sim/verify.ts';

/** Short stimulus: random pairs instead of all 65,536, a short random run. */
const OPTS = { seed: 5, beats: 2000, pairs: 2000, exhaustiveBits: 10, sequences: 4, vcd: false } as const;

// (default widths are not wide enough: P + log2(1024) bits overflow after 1,000 to 2,700 largest beats on one lane)
const units: MacRequest[] = [
  { fmt: 'e5m2', acc: 96 }, // no specials
  { fmt: 'e4m3fn', acc: 64, pipeline: 2 }, // the nan flag; the clears travel two stages
];

/** Beats of the largest product of either sign from zero to past the range (segment 3 runs them when ≤ MAX_OVERFLOW_RUN). */
function beatsToOverflow(cfg: MacConfig): bigint {
  const { pos, neg } = maxProductCodes(cfg);
  const mags = [pos, neg].filter((c) => c !== null).map((c) => {
    const v = laneProduct(cfg, c[0], c[1]).aligned * BigInt(cfg.lanes);
    return v < 0n ? -v : v;
  });
  const limit = 1n << BigInt(cfg.accWidth - 1);
  return limit / mags.reduce((x, y) => (x > y ? x : y)) + 3n;
}

function mutant(opName: string, req: MacRequest): { cfg: MacConfig; verilog: string } {
  const cfg = new MacConfig(req);
  const [op] = operatorsNamed(opName);
  const m = mutate(op, generateVerilog(cfg), cfg);
  if (m.status !== 'mutant') throw new Error(`${opName} on ${cfg.name}: ${m.status}`);
  return { cfg, verilog: m.text };
}

describe('verify catches a unit that keeps ovf through a clear or a reset, on wide accumulators', () => {
  for (const req of units) {
    for (const opName of ['clr-idle-keeps-ovf', 'flags-survive-clr', 'rst-keeps-ovf']) {
      it(`${opName} on ${JSON.stringify(req)}`, async () => {
        const { cfg, verilog } = mutant(opName, req);
        expect(beatsToOverflow(cfg)).toBeGreaterThan(BigInt(MAX_OVERFLOW_RUN)); // segment 3 skipped
        const r = await verifyUnit(cfg, { ...OPTS, sims: ['verilator'], verilog });
        expect(r.pass, `${opName} went unnoticed:\n${formatReport(r)}`).toBe(false);
        // a clearing beat that keeps the old flags also keeps nan, which lone NaN beats show at once
        if (opName === 'flags-survive-clr' && cfg.hasFlags) return;
        const from = r.vectors.edges.findIndex((e) => e.inject);
        const cycles = r.results[0].mismatches.map((m) => m.cycle);
        expect(cycles.some((c) => c >= from), `mismatches at ${cycles.join(', ')}; segment 5b starts at ${from}`).toBe(true);
      });
    }
  }

  it('without state injection the same short run misses the idle-clr bug: the ovf to clear is never set', async () => {
    const { cfg, verilog } = mutant('clr-idle-keeps-ovf', units[0]);
    const r = await verifyUnit(cfg, { ...OPTS, sims: ['verilator'], verilog, injectStates: false });
    expect(r.pass, formatReport(r)).toBe(true);
  });
});
