/** Reading real tensors: the .npy round trip and ONNX initializers written by the test itself. */

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { halfToNumber, loadNpy, loadOnnxInitializers } from '../../quant/tensor.ts';
import { runQuant } from '../../quant/cli/quant.ts';
import { bytesOf, DT, writeNpy, writeOnnx } from './writers.ts';
import { removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const dir = tempDir('minimac-quant-io-');

/** Run the CLI in-process, capturing stdout. */
function quiet(argv: string[]): string {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return runQuant(argv) ?? '';
  } finally {
    process.stdout.write = write;
  }
}

describe('.npy', () => {
  it('round-trips float32 and float64 in C order, exactly', () => {
    const f32 = Float32Array.from({ length: 24 }, (_, i) => (i - 11.5) / 3);
    const f64 = Float64Array.from({ length: 6 }, (_, i) => Math.PI * 10 ** (i - 3));
    writeNpy(join(dir, 'a.npy'), '<f4', [2, 3, 4], bytesOf(f32));
    writeNpy(join(dir, 'b.npy'), '<f8', [6], bytesOf(f64));
    const a = loadNpy(join(dir, 'a.npy'));
    expect(a.shape).toEqual([2, 3, 4]);
    expect([...a.data]).toEqual([...f32]);
    expect([...loadNpy(join(dir, 'b.npy')).data]).toEqual([...f64]);
  });

  it('reads float16 exactly and Fortran order into C order', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x7bff, 0x3555, 0x8000);
    writeNpy(join(dir, 'h.npy'), '<f2', [6], bytesOf(bits));
    expect([...loadNpy(join(dir, 'h.npy')).data]).toEqual([1, -2, 2 ** -24, 65504, halfToNumber(0x3555), -0]);
    // [[1, 2, 3], [4, 5, 6]] stored column-major is 1 4 2 5 3 6.
    writeNpy(join(dir, 'f.npy'), '<f4', [2, 3], bytesOf(Float32Array.of(1, 4, 2, 5, 3, 6)), true);
    expect([...loadNpy(join(dir, 'f.npy')).data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('quantizes a .npy through the CLI exactly as the in-memory tensor', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * (1 + (i % 7)));
    writeNpy(join(dir, 's.npy'), '<f4', [10, 100], bytesOf(data));
    const r = JSON.parse(quiet(['--fmt', 'e2m1', '--tensor', join(dir, 's.npy'), '--per-channel', '0', '--json']));
    expect(r.tensors[0].shape).toEqual([10, 100]);
    expect(r.tensors[0].results[0]).toMatchObject({ format: 'e2m1', n: 1000 });
    expect(r.tensors[0].results[0].sqnrDb).toBeGreaterThan(10);
  });
});

describe('ONNX initializers', () => {
  const w = Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 4);
  const model = join(dir, 'm.onnx');
  writeOnnx(model, [
    { name: 'fc.weight', dataType: DT.FLOAT, dims: [3, 4], floatData: [...w] },
    { name: 'fc.raw', dataType: DT.FLOAT, dims: [12], rawData: bytesOf(w).slice() },
    { name: 'half', dataType: DT.FLOAT16, dims: [3], int32Data: [0x3c00, 0xbc00, 0x3800] },
    { name: 'half.raw', dataType: DT.FLOAT16, dims: [3], rawData: bytesOf(Uint16Array.of(0x3c00, 0xbc00, 0x3800)).slice() },
    { name: 'dbl', dataType: DT.DOUBLE, dims: [2], doubleData: [0.1, -3] },
    { name: 'bf16', dataType: DT.BFLOAT16, dims: [2], int32Data: [0x3fc0, 0xc100] },
    { name: 'shape', dataType: DT.INT64, dims: [2], int64Data: [3, 4] },
  ]);

  it('reads float32 (float_data and raw_data), float16 (int32_data and raw_data) and double', () => {
    const { tensors, skipped } = loadOnnxInitializers(model, 'all');
    expect(tensors.map((t) => t.name)).toEqual(['fc.weight', 'fc.raw', 'half', 'half.raw', 'dbl', 'bf16']);
    expect(skipped).toEqual(['shape (INT64)']);
    expect(tensors[0].shape).toEqual([3, 4]);
    expect([...tensors[0].data]).toEqual([...w]);
    expect([...tensors[1].data]).toEqual([...w]);
    expect([...tensors[2].data]).toEqual([1, -1, 0.5]);
    expect([...tensors[3].data]).toEqual([1, -1, 0.5]);
    expect([...tensors[4].data]).toEqual([0.1, -3]);
    expect([...tensors[5].data]).toEqual([1.5, -8]);
  });

  it('refuses external data and a dims/data mismatch, naming the flag', () => {
    const bad = join(dir, 'bad.onnx');
    writeOnnx(bad, [
      { name: 'ext', dataType: DT.FLOAT, dims: [2], dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] },
      { name: 'odd', dataType: DT.FLOAT, dims: [3], floatData: [1, 2] },
    ]);
    expect(() => loadOnnxInitializers(bad, 'ext')).toThrow("initializer 'ext' keeps its data in an external file, which is not supported");
    expect(() => loadOnnxInitializers(bad, 'odd')).toThrow("initializer 'odd' has dims [3] but 2 elements");
  });

  it('quantizes every float initializer through the CLI', () => {
    const r = JSON.parse(quiet(['--fmt', 'int4', '--onnx', model, '--init', 'all', '--json']));
    expect(r.tensors.map((t: { name: string }) => t.name)).toEqual(['fc.weight', 'fc.raw', 'half', 'half.raw', 'dbl', 'bf16']);
    expect(r.skipped).toEqual(['shape (INT64)']);
    // fc.weight = (i - 6) / 4: absmax 1.5 maps to 7, so the step is 1.5/7 and the error is known.
    const fc = r.tensors[0].results[0];
    const step = 1.5 / 7;
    const want = [...w].map((x) => (x - Math.round(x / step) * step) ** 2).reduce((a, b) => a + b) / 12;
    expect(fc.mse).toBeCloseTo(want, 12);
    // half = [1, -1, 0.5], step 1/7: 0.5 is 3.5 steps, a tie that goes to the even 4, error 1/14.
    expect(r.tensors[2].results[0].sqnrDb).toBeCloseTo(10 * Math.log10(2.25 / (1 / 14) ** 2), 10);
  });
});
