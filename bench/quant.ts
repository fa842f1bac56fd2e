/**
 * `npm run bench:quant`: throughput of exact quantize–dequantize (scale, RNE into the format,
 * decode, rescale, with the error sums) for an 8-bit and a 4-bit format on 10^7 Gaussian
 * elements, one core. Prints figures; asserts nothing about time.
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
  {
    const src = data;
    let best = Infinity;
    let noise = 0;
    for (let r = 0; r < REPEATS; r++) {
      const sums = emptySums();
      const t0 = performance.now();
      q.run(src, 0, N, scale, sums, out);
      best = Math.min(best, performance.now() - t0);
      noise = sums.noise;
    }
    const rate = N / (best / 1000);
    process.stdout.write(
      `${spec.padEnd(5)} ${(rate / 1e6).toFixed(1).padStart(6)} M elements/s  (best of ${REPEATS}: ${best.toFixed(0)} ms for ${N} elements; table ${q.tableSize} entries; noise ${noise.toExponential(3)})\n`,
    );
  }
}
