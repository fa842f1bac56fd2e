/**
 * `npm run bench:synth`: seconds per design and designs per minute, wasm Yosys against a native
 * `yosys` on PATH (when there is one), side by side on the same designs and script, one design at
 * a time in this process (the wasm module is compiled once; every run is a fresh Yosys instance).
 * Not a test: the numbers depend on the machine and its load.
 */
import { availableParallelism } from 'node:os';
import { execa } from 'execa';
import { MacConfig } from '../generators/config/mac-config.ts';
import { makeJob, SCRIPT_OUTPUTS, toRecord } from '../synth/synth.ts';
import { target } from '../synth/targets.ts';
import { runYosysScript, yosysVersion, type YosysEngine } from '../generators/util/yosys.ts';

const PAIRS: readonly [string, string][] = [
  ['e2m1', 'e2m1'],
  ['int4', 'int4'],
  ['e3m2', 'int6'],
  ['e4m3', 'e4m3'],
  ['int8', 'int8'],
  ['e5m2', 'e5m2'],
];

const t = target(process.argv.includes('--target') ? process.argv[process.argv.indexOf('--target') + 1] : 'xc7');

/** One design on one engine: seconds and LUTs. */
async function once(engine: YosysEngine, version: string, w: string, a: string): Promise<{ s: number; lut: number | string }> {
  const { job, verilog } = makeJob(new MacConfig({ wfmt: w, afmt: a }), t, false, engine, version);
  const t0 = performance.now();
  const res = await runYosysScript({ [job.file]: verilog }, job.script, SCRIPT_OUTPUTS, engine);
  const s = (performance.now() - t0) / 1000;
  const rec = toRecord(job, res, t);
  return { s, lut: rec.ok ? rec.counts.lut : `failed: ${rec.error}` };
}

const engines: { engine: YosysEngine; version: string }[] = [{ engine: 'wasm', version: await yosysVersion('wasm') }];
if ((await execa('yosys', ['-V'], { reject: false }).catch(() => ({ exitCode: 1 }))).exitCode === 0) {
  engines.push({ engine: 'native', version: await yosysVersion('native') });
} else {
  process.stdout.write('native yosys not on PATH: wasm only (apt-get install yosys to compare)\n');
}

process.stdout.write(`target ${t.name}, default accumulator widths, one design at a time\n`);
for (const e of engines) {
  const t0 = performance.now();
  await once(e.engine, e.version, 'e2m1', 'e2m1');
  process.stdout.write(`${e.engine.padEnd(6)} ${e.version}: first run${e.engine === 'wasm' ? ' (includes compiling the wasm module)' : ''} ${((performance.now() - t0) / 1000).toFixed(2)} s, not counted\n`);
}
const head = ['W × A', ...engines.flatMap((e) => [`${e.engine} s`, `${e.engine} LUT`])];
const rows: string[][] = [];
const totals = engines.map(() => 0);
for (const [w, a] of PAIRS) {
  const row = [`${w} × ${a}`];
  for (const [i, e] of engines.entries()) {
    const r = await once(e.engine, e.version, w, a);
    totals[i] += r.s;
    row.push(r.s.toFixed(2), String(r.lut));
  }
  rows.push(row);
}
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padStart(width[i])).join('  ');
process.stdout.write([line(head), ...rows.map(line)].join('\n') + '\n\n');
const cores = availableParallelism();
for (const [i, e] of engines.entries()) {
  const per = totals[i] / PAIRS.length;
  process.stdout.write(
    `${e.engine.padEnd(6)} ${per.toFixed(2)} s/design, ${(60 / per).toFixed(1)} designs/min on one core, ` +
      `~${((60 / per) * cores).toFixed(0)} designs/min with --jobs ${cores}\n`,
  );
}
