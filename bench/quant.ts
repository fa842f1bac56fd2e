/**
 * `npm run bench:quant`: throughput of exact quantize–dequantize (scale, RNE into the format,
 * decode, rescale, with the error sums) for an 8-bit and a 4-bit format on 10^7 Gaussian
 * elements, one core. Prints figures; asserts nothing about time. Each figure is the best of
 * several runs, by wall-clock time and by the process's CPU time (user + system), which stays
 * meaningful when other work shares the machine.
 */
import { sample } from '../quant/dist.ts';
import { emptySums, quantizerFor } from '../quant/lut.ts';

const N = 10_000_000;
const REPEATS = 5;
const data = sample('gauss', N, 1);
const out = new Float64Array(N);

for (const spec of ['e4m3', 'int8', 'e2m1', 'int4']) {
  const q = quantizerFor(spec);
  let absmax = 0;
  for (let i = 0; i < N; i++) absmax = Math.max(absmax, Math.abs(data[i]));
  const scale = absmax / q.rangeMax;
  let best = Infinity;
  let bestCpu = Infinity;
  let noise = 0;
  for (let r = 0; r < REPEATS; r++) {
    const sums = emptySums();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    q.run(data, 0, N, scale, sums, out);
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    noise = sums.noise;
  }
  const rate = (ms: number): string => (N / (ms / 1000) / 1e6).toFixed(1).padStart(6);
  process.stdout.write(
    `${spec.padEnd(5)} ${rate(best)} M elements/s wall, ${rate(bestCpu)} M elements/s CPU  (best of ${REPEATS}: ${best.toFixed(0)} ms wall, ${bestCpu.toFixed(0)} ms CPU for ${N} elements; table ${q.tableSize} entries; noise ${noise.toExponential(3)})\n`,
  );
}
