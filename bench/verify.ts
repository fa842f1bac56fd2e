/**
 * `npm run bench:verify`: build and run time per unit and vectors/s, cold (empty build cache,
 * ccache as it is) and warm, end to end through the verify CLI and split into phases. Target
 * (issue 3): exhaustive e4m3 × e4m3 (65,536 pairs + 10^5 random beats) ≤ 3 s warm, ≤ 8 s cold.
 * Then the formal check of each unit, of issue 12's saturation unit and of e2m1 × 64 lanes (`verify --formal`: unit =
 * reference, and the xc7 netlist = RTL, synthesized on the spot), with the time of each proof.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MacConfig, type MacRequest } from '../generators/config/mac-config.ts';
import { PROJECT_ROOT } from '../generators/util/paths.ts';

const UNITS: { flags: string[]; req: MacRequest }[] = [
  { flags: ['--fmt', 'e4m3', '--acc', '16'], req: { fmt: 'e4m3', acc: 16 } },
  { flags: ['--fmt', 'e4m3fn', '--lanes', '4', '--pipeline', '2'], req: { fmt: 'e4m3fn', lanes: 4, pipeline: 2 } },
  { flags: ['--afmt', 'e8m7', '--wfmt', 'int8'], req: { afmt: 'e8m7', wfmt: 'int8' } },
];

/** Formal only: issue 12's unit of the saturation-bound swap (3 lanes, RNE, sat, 3 stages), and a 64-lane unit. */
const FORMAL_EXTRA: readonly MacRequest[] = [
  { fmt: 'e3m2', lanes: 3, acc: 29, accFrac: 3, accRound: 'rne', overflow: 'sat', pipeline: 3 },
  { fmt: 'e2m1', lanes: 64 },
];

async function timed(args: string[], cache: string): Promise<{ s: number; out: string }> {
  const t = performance.now();
  const r = await execa(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [join(PROJECT_ROOT, 'sim/cli/verify.ts'), ...args], {
    reject: false,
    all: true,
    env: { MINIMAC_CACHE: cache },
  });
  const s = (performance.now() - t) / 1000;
  if (r.exitCode !== 0) throw new Error(`verify ${args.join(' ')} failed:\n${r.all}`);
  return { s, out: r.stdout.trim() };
}

const cache = mkdtempSync(join(tmpdir(), 'minimac-bench-cache-'));
try {
  process.stdout.write('unit                                                   cold s   warm s   cycles    vectors/s (warm)\n');
  for (const u of UNITS) {
    const cfg = new MacConfig(u.req);
    const cold = await timed(u.flags, cache);
    const warm = await timed(u.flags, cache);
    const cycles = Number(/(\d+) cycles/.exec(warm.out)?.[1] ?? 0);
    process.stdout.write(
      `${cfg.name.padEnd(54)} ${cold.s.toFixed(2).padStart(6)}   ${warm.s.toFixed(2).padStart(6)}   ${String(cycles).padStart(7)}   ${Math.round(cycles / warm.s)}\n`,
    );
    // Phases of the warm run: golden model, Verilator build (cached) and run.
    process.env.MINIMAC_CACHE = cache; // the in-process run reads the same cache
    const v = await import('../sim/verify.ts');
    const r = await v.verifyUnit(cfg, { seed: 1, sims: ['verilator'], vcd: false });
    const x = r.results[0];
    process.stdout.write(
      `  in-process: stimulus + golden ${r.goldenMs.toFixed(0)} ms, build ${x.cached ? 'cached' : `${x.buildMs.toFixed(0)} ms`}, ` +
        `run ${x.runMs.toFixed(0)} ms (${Math.round(x.cycles / (x.runMs / 1000))} cycles/s in the simulator)\n`,
    );
  }
  process.stdout.write('\nformal (verify --formal), one unit at a time           result    reference s   synth + netlist s\n');
  const { proveUnit } = await import('../sim/formal.ts');
  const { generateVerilog } = await import('../generators/generate.ts');
  for (const req of [...UNITS.map((u) => u.req), ...FORMAL_EXTRA]) {
    const cfg = new MacConfig(req);
    const r = await proveUnit(cfg, generateVerilog(cfg), null, { timeoutS: 600 });
    const [ref] = r.proofs;
    process.stdout.write(`${cfg.name.padEnd(54)} ${r.result.padEnd(8)}  ${ref.seconds.toFixed(1).padStart(9)}   ${(r.seconds - ref.seconds).toFixed(1).padStart(9)}\n`);
    for (const p of r.proofs) if (p.result !== 'PROVEN') process.stdout.write(`  ${p.property}: ${p.result} ${p.detail}\n`);
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}
