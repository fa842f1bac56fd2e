/**
 * `npm run bench:qor`: hardware quality of generated units against the behavioural reference
 * (bench/reference/mac_ref.v), synthesized side by side in one run with the same Yosys, target
 * and script as `npm run synth`. Prints figures and ratios; asserts nothing.
 *
 * Each configuration is synthesized as generic RTL and with the target's own `--arch` (xc7, xcup:
 * adders of LUT6_2 and CARRY4/CARRY8), side by side; the dot-product section gives every 4-8-bit
 * same-format pair's LUTs per lane at 16 and 64 lanes against its scalar unit, in both archs.
 *
 * Flags: --targets xc7,xcup (default both), --quick (a handful of configurations),
 * --jobs N (default: cores), --result (instead: the float-result converter's cost against
 * bench/reference/conv_ref.v, the conversion's LUT increase and --result-pipeline's depth).
 */
import { availableParallelism } from 'node:os';
import { MacConfig, type MacRequest } from '../generators/config/mac-config.ts';
import { formatsOfWidth } from '../generators/formats/format.ts';
import { parseArgs } from '../generators/cli/args.ts';
import { isMain, runCommand } from '../generators/cli/main.ts';
import { makeJob, parseCounts, SCRIPT_OUTPUTS, synthScript, type Counts } from '../synth/synth.ts';
import { YosysPool } from '../synth/pool.ts';
import { target, type Target } from '../synth/targets.ts';
import { yosysVersion } from '../generators/util/yosys.ts';
import { resultModuleName } from '../generators/rtl/result.ts';
import { referenceConverterVerilog, referenceVerilog } from './reference/reference.ts';

/**
 * What to synthesize for a configuration: the generated unit, the reference unit (mac_ref, plus
 * conv_ref with a result), or the float-result converter alone (`<name>__res`, or conv_ref).
 */
type Design = 'gen' | 'ref' | 'genConv' | 'refConv';

/** One synthesized design's figures. */
interface Figures {
  readonly lut: number;
  readonly ff: number;
  readonly depth: number;
}

/** The configurations the issue names: same-format 3–8 bits, narrow accumulators, mixed pairs. */
export function qorConfigs(quick: boolean): MacRequest[] {
  if (quick) return [{ fmt: 'e4m3', acc: 16 }, { fmt: 'int8', acc: 16 }, { fmt: 'e2m1' }, { fmt: 'int4' }, { afmt: 'e4m3', wfmt: 'int4' }];
  const out: MacRequest[] = [];
  for (let bits = 3; bits <= 8; bits++) for (const f of formatsOfWidth(bits)) out.push({ fmt: f });
  for (const fmt of ['e4m3', 'int8']) for (const acc of [16, 24]) out.push({ fmt, acc });
  out.push(
    { afmt: 'e4m3', wfmt: 'int4' },
    { afmt: 'int8', wfmt: 'e2m1' },
    { afmt: 'e5m2', wfmt: 'e4m3' },
    { afmt: 'e3m2', wfmt: 'e2m1' },
    { afmt: 'int4', wfmt: 'e2m3' },
  );
  return out;
}

function label(req: MacRequest): string {
  const fmt = req.fmt ?? `${req.afmt}×${req.wfmt}`;
  const extra = Object.entries(req)
    .filter(([k]) => !['fmt', 'afmt', 'wfmt'].includes(k))
    .map(([k, v]) => `${k}=${v}`);
  return [fmt, ...extra].join(' ');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Synthesize generated and reference designs for many configurations on one pool. */
class Bench {
  constructor(
    private readonly pool: YosysPool,
    private readonly version: string,
  ) {}

  private readonly done = new Map<string, Promise<Figures>>();

  /** Figures of one design, synthesized once per run (later sections reuse the main table's). */
  figures(cfg: MacConfig, t: Target, design: Design): Promise<Figures> {
    const key = `${cfg.name}/${t.name}/${design}`;
    let f = this.done.get(key);
    if (!f) {
      f = this.synthesize(cfg, t, design);
      this.done.set(key, f);
    }
    return f;
  }

  private async synthesize(cfg: MacConfig, t: Target, design: Design): Promise<Figures> {
    const { job, verilog } = makeJob(cfg, t, false, 'wasm', this.version);
    const conv = design === 'genConv' || design === 'refConv';
    const top = conv ? resultModuleName(cfg) : job.top;
    const rtl = design === 'ref' ? referenceVerilog(cfg) : design === 'refConv' ? referenceConverterVerilog(cfg, top) : verilog;
    const script = conv ? synthScript(job.file, top, t, false) : job.script;
    const res = await this.pool.run({ [job.file]: rtl }, script, SCRIPT_OUTPUTS);
    if (res.code !== 0) throw new Error(`${design} ${cfg.name} on ${t.name}: yosys exited ${res.code}\n${res.log.slice(-2000)}`);
    const c: Counts = parseCounts(res, { ...job, top }, t);
    return { lut: c.lut, ff: c.ff, depth: c.depth };
  }
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

/** The float-result configurations of issue 11 (item 6, Cost). */
export function resultConfigs(quick: boolean): MacRequest[] {
  const all: MacRequest[] = [
    { fmt: 'e4m3', acc: 16, result: 'bf16' },
    { fmt: 'e4m3', result: 'fp32' },
    { fmt: 'int8', result: 'e4m3fn' },
    { fmt: 'e2m1', lanes: 16, result: 'e2m3' },
    { fmt: 'e5m2', result: 'fp16', resultOverflow: 'inf' },
  ];
  return quick ? all.slice(0, 2) : all;
}

/** The same unit without its float result. */
function withoutResult(req: MacRequest): MacRequest {
  const { result: _r, resultOverflow: _o, resultPipeline: _q, ...rest } = req;
  return rest;
}

function resultLabel(req: MacRequest): string {
  const mode = req.resultOverflow ? ` ${req.resultOverflow}` : '';
  const q = req.resultPipeline ? ` q=${req.resultPipeline}` : '';
  return `${label(withoutResult(req))} -> ${req.result}${mode}${q}`;
}

const pct = (x: number, digits = 0): string => `${(100 * x).toFixed(digits)}%`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/**
 * `--result`: the converter's cost (the unit with its result less the unit without) for the
 * generated unit and for mac_ref + conv_ref, side by side; then on xc7 the conversion's LUT
 * increase against issue 11's targets, and the depth at --result-pipeline 0 and 1.
 */
async function resultBench(bench: Bench, targets: Target[], quick: boolean): Promise<void> {
  const reqs = resultConfigs(quick);
  for (const t of targets) {
    const results = await Promise.all(
      reqs.map(async (req) => {
        const [cfg0, cfg1] = [new MacConfig(withoutResult(req)), new MacConfig(req)];
        const [gen0, gen1, ref0, ref1] = await Promise.all([
          bench.figures(cfg0, t, 'gen'),
          bench.figures(cfg1, t, 'gen'),
          bench.figures(cfg0, t, 'ref'),
          bench.figures(cfg1, t, 'ref'),
        ]);
        return { req, gen0, gen1, ref0, ref1 };
      }),
    );
    const w = [30, 5, 4, 5, 5, 4, 5, 6, 5, 6, 7, 5, 8, 7, 6];
    console.log(`== ${t.name}: float result; converter = unit with result - unit without (reference: mac_ref + conv_ref)`);
    console.log(row(['', 'no result', '', '', 'with result', '', '', 'ref with conv_ref', '', '', 'converter', '', '', '', ''], w));
    console.log(row(['configuration', 'LUT', 'FF', 'depth', 'LUT', 'FF', 'depth', 'rLUT', 'rFF', 'rdepth', 'cLUT', 'cFF', 'ref cLUT', 'ref cFF', 'cLUT×'], w));
    const ratios: number[] = [];
    for (const r of results) {
      const [cl, cf] = [r.gen1.lut - r.gen0.lut, r.gen1.ff - r.gen0.ff];
      const [rl, rf] = [r.ref1.lut - r.ref0.lut, r.ref1.ff - r.ref0.ff];
      ratios.push(cl / rl);
      console.log(row([resultLabel(r.req), r.gen0.lut, r.gen0.ff, r.gen0.depth, r.gen1.lut, r.gen1.ff, r.gen1.depth, r.ref1.lut, r.ref1.ff, r.ref1.depth, cl, cf, rl, rf, (cl / rl).toFixed(2)], w));
    }
    console.log(`${t.name}: converter LUT ratio generated/reference median ${median(ratios).toFixed(3)}, worst ${Math.max(...ratios).toFixed(3)}\n`);
  }

  const xc7 = target('xc7');
  console.log('== xc7: the converter synthesized alone (<name>__res against conv_ref, ports as in the unit)');
  const alone = await Promise.all(
    reqs.map(async (req) => {
      const [cfg, cfgQ1] = [new MacConfig(req), new MacConfig({ ...req, resultPipeline: 1 })];
      const [g, r, g1] = await Promise.all([bench.figures(cfg, xc7, 'genConv'), bench.figures(cfg, xc7, 'refConv'), bench.figures(cfgQ1, xc7, 'genConv')]);
      return { req, g, r, g1 };
    }),
  );
  const wa = [30, 5, 4, 5, 5, 4, 5, 6, 9];
  console.log(row(['configuration', 'LUT', 'FF', 'depth', 'rLUT', 'rFF', 'rdepth', 'LUT×', 'depth q=1'], wa));
  for (const a of alone) console.log(row([resultLabel(a.req), a.g.lut, a.g.ff, a.g.depth, a.r.lut, a.r.ff, a.r.depth, (a.g.lut / a.r.lut).toFixed(2), a.g1.depth], wa));
  console.log(`converter alone: LUT ratio generated/reference median ${median(alone.map((a) => a.g.lut / a.r.lut)).toFixed(3)} (target <= 0.70: ${verdict(median(alone.map((a) => a.g.lut / a.r.lut)) <= 0.7)})\n`);

  // Both ways: the whole units' difference (what the issue asks), and the converter alone over the
  // unit without (the difference of two large units is within ABC's noise).
  console.log('== xc7: LUT increase of the conversion over the unit without result');
  const increase = async (req: MacRequest, limit: number): Promise<void> => {
    const cfg = new MacConfig(req);
    const [f0, f1, c] = await Promise.all([bench.figures(new MacConfig(withoutResult(req)), xc7, 'gen'), bench.figures(cfg, xc7, 'gen'), bench.figures(cfg, xc7, 'genConv')]);
    const [x, y] = [f1.lut / f0.lut - 1, c.lut / f0.lut];
    const target = `target <= ${pct(limit)}`;
    console.log(
      `${resultLabel(req).padEnd(30)} units ${f0.lut} -> ${f1.lut} LUT: ${x < 0 ? '' : '+'}${pct(x, 1)} (${target}: ${verdict(x <= limit)}); ` +
        `converter alone ${c.lut} LUT: +${pct(y, 1)} (${verdict(y <= limit)})`,
    );
  };
  await increase({ fmt: 'e4m3', result: 'fp32' }, 0.45);
  await increase({ fmt: 'e4m3', lanes: 16, result: 'fp32' }, 0.08);
  console.log('');

  console.log('== xc7: --result-pipeline 1 against 0, logic depth of the whole unit (register to register)');
  const depthRatios: number[] = [];
  for (const req of reqs) {
    const [f0, q0, q1] = await Promise.all([
      bench.figures(new MacConfig(withoutResult(req)), xc7, 'gen'),
      bench.figures(new MacConfig(req), xc7, 'gen'),
      bench.figures(new MacConfig({ ...req, resultPipeline: 1 }), xc7, 'gen'),
    ]);
    depthRatios.push(q1.depth / q0.depth);
    console.log(`${resultLabel(req).padEnd(30)} depth q=0 ${q0.depth} -> q=1 ${q1.depth} (${pct(q1.depth / q0.depth)}); without result ${f0.depth}; FF ${q0.ff} -> ${q1.ff}`);
  }
  const worst = Math.max(...depthRatios);
  console.log(`worst q=1/q=0 depth ratio of the whole unit ${worst.toFixed(2)} (bounded below by the MAC's own path, "without result")`);
  // The issue's target is on the result path: the converter alone, its deepest stage at q = 1 against q = 0.
  const path = alone.map((a) => a.g1.depth / a.g.depth);
  console.log(
    `result path (converter alone): q=1/q=0 depth ${alone.map((a) => `${a.g1.depth}/${a.g.depth}`).join(', ')}; ` +
      `median ${median(path).toFixed(2)}, worst ${Math.max(...path).toFixed(2)} (target <= 0.60: median ${verdict(median(path) <= 0.6)}, worst ${verdict(Math.max(...path) <= 0.6)})`,
  );
}

async function main(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, {
    targets: { value: true, help: 'targets, comma-separated' },
    quick: { value: false, help: 'a few configurations only' },
    jobs: { value: true, help: 'parallel Yosys runs' },
    result: { value: false, help: 'only the float-result converter against bench/reference/conv_ref.v' },
  });
  const targets = String(flags.targets ?? 'xc7,xcup')
    .split(',')
    .map((n) => target(n, '--targets'));
  const quick = flags.quick === true;
  const pool = new YosysPool(Number(flags.jobs ?? availableParallelism()), 'wasm');
  const version = await yosysVersion('wasm');
  const bench = new Bench(pool, version);
  const started = Date.now();
  try {
    if (flags.result === true) {
      console.log(`bench:qor --result, ${version}, LUT-only (-nodsp); reference: bench/reference/mac_ref.v + conv_ref.v\n`);
      await resultBench(bench, targets, quick);
      console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    console.log(`bench:qor, ${version}, LUT-only (-nodsp); reference: bench/reference/mac_ref.v\n`);
    for (const t of targets) {
      const reqs = qorConfigs(quick);
      const results = await Promise.all(
        reqs.map(async (req) => {
          const cfg = new MacConfig(req);
          const [gen, ref, prim] = await Promise.all([
            bench.figures(cfg, t, 'gen'),
            bench.figures(cfg, t, 'ref'),
            bench.figures(new MacConfig({ ...req, arch: t.name === 'xc7' || t.name === 'xcup' ? t.name : 'generic' }), t, 'gen'),
          ]);
          return { req, gen, ref, prim };
        }),
      );
      const w = [34, 6, 4, 6, 6, 4, 6, 7, 7, 7, 5, 6, 7];
      console.log(`== ${t.name}: generated (generic RTL, and --arch ${t.name}) vs reference`);
      console.log(row(['configuration', 'LUT', 'FF', 'depth', 'refLUT', 'rFF', 'rdepth', 'LUT×', 'depth×', `${t.name}LUT`, 'FF', 'depth', 'LUT×'], w));
      const lutRatios: number[] = [];
      const primRatios: number[] = [];
      let ffWorse = 0;
      let deeper = 0;
      let primDeeper = 0;
      for (const r of results) {
        const lr = r.gen.lut / r.ref.lut;
        const pr = r.prim.lut / r.ref.lut;
        const dr = r.gen.depth / r.ref.depth;
        lutRatios.push(lr);
        primRatios.push(pr);
        if (r.gen.ff > r.ref.ff) ffWorse++;
        if (r.gen.depth > r.ref.depth) deeper++;
        if (r.prim.depth > r.gen.depth) primDeeper++;
        console.log(row([label(r.req), r.gen.lut, r.gen.ff, r.gen.depth, r.ref.lut, r.ref.ff, r.ref.depth, lr.toFixed(2), dr.toFixed(2), r.prim.lut, r.prim.ff, r.prim.depth, pr.toFixed(2)], w));
      }
      const worst = results[lutRatios.indexOf(Math.max(...lutRatios))];
      const worstP = results[primRatios.indexOf(Math.max(...primRatios))];
      console.log(
        `${t.name} generic: LUT ratio median ${median(lutRatios).toFixed(3)}, worst ${Math.max(...lutRatios).toFixed(3)} (${label(worst.req)}); ` +
          `configurations with more FFs than the reference: ${ffWorse}; deeper than the reference: ${deeper}`,
      );
      console.log(
        `${t.name} --arch ${t.name}: LUT ratio median ${median(primRatios).toFixed(3)}, worst ${Math.max(...primRatios).toFixed(3)} (${label(worstP.req)}); ` +
          `deeper than generic: ${primDeeper}; arch/generic LUT median ${median(results.map((r) => r.prim.lut / r.gen.lut)).toFixed(3)}`,
      );
      const e4 = results.find((r) => r.req.fmt === 'e4m3' && Object.keys(r.req).length === 1);
      if (e4) console.log(`${t.name}: e4m3 exact ${e4.gen.lut} LUT generic, ${e4.prim.lut} LUT --arch ${t.name} (target <= 150)`);
      console.log('');
    }

    const xc7 = target('xc7');
    // Pipelining: the deepest stage of --pipeline 2 against the unpipelined depth.
    const pipeReqs: MacRequest[] = quick ? [{ fmt: 'e4m3', acc: 16 }, { fmt: 'int8' }] : [
      { fmt: 'e4m3', acc: 16 }, { fmt: 'e4m3' }, { fmt: 'int8' }, { fmt: 'e2m1' }, { fmt: 'e5m2', acc: 24 }, { fmt: 'int4' },
    ];
    console.log('== xc7: --pipeline 2 deepest stage / unpipelined depth');
    const pipeRatios: number[] = [];
    for (const req of pipeReqs) {
      const [d0, d2] = await Promise.all([
        bench.figures(new MacConfig(req), xc7, 'gen'),
        bench.figures(new MacConfig({ ...req, pipeline: 2 }), xc7, 'gen'),
      ]);
      pipeRatios.push(d2.depth / d0.depth);
      console.log(`${label(req).padEnd(24)} depth ${d0.depth} -> ${d2.depth} (${((100 * d2.depth) / d0.depth).toFixed(0)}%), FF ${d0.ff} -> ${d2.ff}`);
    }
    console.log(`worst stage ratio ${Math.max(...pipeRatios).toFixed(2)}\n`);

    // Dot products: LUTs per lane against the scalar unit, generic and --arch xc7, every 4-8-bit same-format pair.
    console.log('== xc7: dot products, LUTs per lane / scalar LUTs (same arch), generic and --arch xc7 (targets: L=16 <= 60%, L=64 <= 55%)');
    const lanes = quick ? [1, 16] : [1, 16, 64];
    const dotFmts = quick ? ['e4m3', 'e2m1', 'int4'] : [4, 5, 6, 7, 8].flatMap((bits) => formatsOfWidth(bits));
    const misses: string[] = [];
    for (const arch of ['generic', 'xc7'] as const) {
      const rows = await Promise.all(
        dotFmts.map(async (fmt) => ({ fmt, figs: await Promise.all(lanes.map((L) => bench.figures(new MacConfig({ fmt, lanes: L, arch }), xc7, 'gen'))) })),
      );
      for (const { fmt, figs } of rows) {
        const scalar = figs[0].lut;
        const parts = lanes.slice(1).map((L, i) => {
          const share = figs[i + 1].lut / L / scalar;
          if (arch === 'xc7' && share > (L >= 64 ? 0.55 : 0.6)) misses.push(`${fmt} L=${L} ${pct(share)}`);
          return `L=${L}: ${figs[i + 1].lut} LUT, ${(figs[i + 1].lut / L).toFixed(1)}/lane = ${pct(share)}`;
        });
        console.log(`${arch.padEnd(7)} ${fmt.padEnd(8)} scalar ${scalar} LUT; ${parts.join('; ')}`);
      }
    }
    console.log(`--arch xc7 per-lane targets missed: ${misses.length ? misses.join(', ') : 'none'}\n`);

    // Minifloat premium at equal operand bits and equal accumulator width (24 bits).
    console.log('== xc7: minifloat premium, LUTs over the int MAC of equal bits, both with a 24-bit accumulator');
    for (let bits = 3; bits <= 8; bits++) {
      const specs = formatsOfWidth(bits);
      const figs = await Promise.all(specs.map((f) => bench.figures(new MacConfig({ fmt: f, acc: 24 }), xc7, 'gen')));
      const intLut = figs[specs.length - 1].lut;
      const parts = specs.slice(0, -1).map((f, i) => `${f} ${(figs[i].lut / intLut).toFixed(2)}`);
      console.log(`${bits} bits: int${bits} ${intLut} LUT; ${parts.join(', ')}`);
    }
    console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await pool.close();
  }
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
