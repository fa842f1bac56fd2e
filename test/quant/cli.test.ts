/** `npm run quant` through the real CLI: the bad-input table (exact messages, exit 2) and a good run. */
import { execa } from 'execa';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, TSX, tempDir, removeTempDirs } from '../support/tools.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { runQuant } from '../../quant/cli/quant.ts';
import { bytesOf, DT, writeNpy, writeOnnx } from './writers.ts';

afterAll(removeTempDirs);

const QUANT = `${ROOT}quant/cli/quant.ts`;
const dir = tempDir('minimac-quant-cli-');
const quant = (args: string[]) => execa(TSX, [QUANT, ...args], { reject: false, cwd: dir, env: { INIT_CWD: dir } });

writeNpy(join(dir, 'ok.npy'), '<f4', [4], bytesOf(Float32Array.of(1, -2, 0.5, 3)));
writeNpy(join(dir, 'ints.npy'), '<i4', [3], bytesOf(Int32Array.of(1, 2, 3)));
writeNpy(join(dir, 'nan.npy'), '<f4', [5], bytesOf(Float32Array.of(1, NaN, 2, Infinity, -1)));
writeNpy(join(dir, 'empty.npy'), '<f4', [0, 3], new Uint8Array(0));
writeNpy(join(dir, 'short.npy'), '<f4', [8], bytesOf(Float32Array.of(1, 2)));
writeFileSync(join(dir, 'junk.npy'), 'not a numpy file at all');
writeFileSync(join(dir, 'junk.onnx'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]));
writeOnnx(join(dir, 'm.onnx'), [
  { name: 'w', dataType: DT.FLOAT, dims: [2], floatData: [1, -1] },
  { name: 'steps', dataType: DT.INT64, dims: [1], int64Data: [5] },
]);

const BAD: [string, string[], string][] = [
  ['missing .npy', ['--fmt', 'e4m3', '--tensor', 'nope.npy'], `error: cannot read 'nope.npy' (ENOENT) (--tensor)`],
  ['corrupt .npy', ['--fmt', 'e4m3', '--tensor', 'junk.npy'], `error: 'junk.npy' is not a valid .npy file (Not an .npy file) (--tensor)`],
  ['truncated .npy', ['--fmt', 'e4m3', '--tensor', 'short.npy'], `error: 'short.npy' is not a valid .npy file (shape (8) but 2 elements) (--tensor)`],
  ['non-float .npy', ['--fmt', 'e4m3', '--tensor', 'ints.npy'], `error: 'ints.npy' holds i4 elements, not a float tensor (float16, float32 or float64) (--tensor)`],
  ['NaN and inf', ['--fmt', 'e4m3', '--tensor', 'nan.npy'], `error: tensor 'nan.npy' holds 2 non-finite values (NaN or inf); pass --ignore-nonfinite to quantize the rest (--tensor)`],
  ['empty tensor', ['--fmt', 'e4m3', '--tensor', 'empty.npy'], `error: tensor 'empty.npy' is empty (shape [0, 3]) (--tensor)`],
  ['missing ONNX', ['--fmt', 'e4m3', '--onnx', 'nope.onnx', '--init', 'all'], `error: cannot read 'nope.onnx' (ENOENT) (--onnx)`],
  ['corrupt ONNX', ['--fmt', 'e4m3', '--onnx', 'junk.onnx', '--init', 'all'], `error: 'junk.onnx' is not a valid ONNX model (invalid wire type 7 at offset 5) (--onnx)`],
  ['initializer not found', ['--fmt', 'e4m3', '--onnx', 'm.onnx', '--init', 'fc'], `error: initializer 'fc' not found; available: w, steps (--init)`],
  ['non-float initializer', ['--fmt', 'e4m3', '--onnx', 'm.onnx', '--init', 'steps'], `error: initializer 'steps' holds INT64 elements, not a float tensor (--init)`],
  ['unknown distribution', ['--fmt', 'e4m3', '--dist', 'cauchy'], `error: unknown distribution 'cauchy': expected gauss, laplace, student3 or uniform (--dist)`],
  ['percentile 0', ['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:0'], `error: percentile must be in (0, 100], not 0 (--scale)`],
  ['axis out of range', ['--fmt', 'int8', '--tensor', 'ok.npy', '--per-channel', '1'], `error: axis 1 is out of range for 'ok.npy' of shape [4] (--per-channel)`],
  // issue 9: decimal numbers only, exact integers, own-key lookups, one line
  ['percentile in hex', ['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:0x10'], `error: percentile must be a decimal number, not '0x10' (--scale)`],
  ['percentile with exponent', ['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:1e1'], `error: percentile must be a decimal number, not '1e1' (--scale)`],
  ['percentile Infinity', ['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:infinity'], `error: percentile must be a decimal number, not 'infinity' (--scale)`],
  ['n in hex', ['--fmt', 'e4m3', '--dist', 'gauss', '--n', '0x10'], `error: n must be an integer from 1 to 50000000, not '0x10' (--n)`],
  ['huge seed', ['--fmt', 'e4m3', '--dist', 'gauss', '--seed', '99999999999999999999'], `error: seed must be an integer from 0 to 4294967295, not '99999999999999999999' (--seed)`],
  ['format constructor', ['--fmt', 'constructor', '--dist', 'gauss'], `error: unknown format 'constructor': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)`],
  ['distribution constructor', ['--fmt', 'e4m3', '--dist', 'constructor'], `error: unknown distribution 'constructor': expected gauss, laplace, student3 or uniform (--dist)`],
  ['--__proto__', ['--fmt', 'e4m3', '--dist', 'gauss', '--__proto__'], `error: unknown option '--__proto__'; see --help (--__proto__)`],
  ['format with newline', ['--fmt', 'e4m3\nx', '--dist', 'gauss'], `error: unknown format 'e4m3\\nx': expected e<E>m<M>[b<BIAS>][fn|fnuz|ieee], int<N>, uint<N> or an alias such as float8_e4m3fn (--fmt)`],
];

describe.concurrent('npm run quant: bad input', () => {
  it.each(BAD)('%s: one line, exit 2, nothing written', async (_label, args, line) => {
    const before = readdirSync(dir).sort();
    const r = await quant(args);
    expect(r.stderr.trim()).toBe(line);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe.concurrent('npm run quant: good input', () => {
  it('--ignore-nonfinite quantizes the finite rest and reports the count', async () => {
    const r = await quant(['--fmt', 'int8', '--tensor', 'nan.npy', '--ignore-nonfinite', '--json']);
    expect(r.exitCode).toBe(0);
    const t = JSON.parse(r.stdout).tensors[0];
    expect(t.nonfinite).toBe(2);
    expect(t.results[0].n).toBe(3);
    // 1, 2, -1 with scale 2/127: 2 → 127 exactly, ±1 → ±63.5, ties to the even ±64: error 1/127 each.
    expect(t.results[0].mse).toBeCloseTo((2 * (1 / 127) ** 2) / 3, 12);
  });
});

describe('quant in-process: more rules and the ranking', () => {
  const line = (args: string[]): string => {
    try {
      runQuant(args);
    } catch (e) {
      if (e instanceof UsageError) return e.line();
      throw e;
    }
    return 'no error';
  };

  it.each([
    [['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:100.5'], 'error: percentile must be in (0, 100], not 100.5 (--scale)'],
    [['--fmt', 'e4m3', '--dist', 'gauss', '--scale', 'percentile:x'], "error: percentile must be a decimal number, not 'x' (--scale)"],
    [['--dist', 'gauss'], 'error: give a format with --fmt FMT, or --fmts all (--fmt)'],
    [['--fmt', 'e4m3'], 'error: give a tensor: --dist gauss|laplace|student3|uniform, --tensor FILE.npy or --onnx MODEL.onnx (--dist)'],
    [['--fmt', 'e4m3', '--fmts', 'all', '--dist', 'gauss'], 'error: give --fmt or --fmts, not both (--fmts)'],
    [['--fmts', 'all', '--bits', '8-3', '--dist', 'gauss'], 'error: range 8-3 is empty (--bits)'],
    [['--fmt', 'e4m3', '--dist', 'gauss', '--n', '0'], "error: n must be an integer from 1 to 50000000, not '0' (--n)"],
    // audit: these said just "must be an integer from …", with no subject
    [['--fmt', 'e4m3', '--dist', 'gauss', '--per-channel', 'x'], "error: per-channel must be an integer from -64 to 63, not 'x' (--per-channel)"],
    [['--fmts', 'all', '--bits', '3-x', '--dist', 'gauss'], "error: bits must be an integer from 3 to 16, not '3-x' (--bits)"],
    [['--fmts', 'all', '--bits', '3-99999999999999999999', '--dist', 'gauss'], "error: bits must be an integer from 3 to 16, not '99999999999999999999' (--bits)"],
    // audit: blanks around a --bits range were accepted; numbers are plain decimals only
    [['--fmts', 'all', '--bits', ' 3 - 4', '--dist', 'gauss'], "error: bits must be an integer from 3 to 16, not ' 3 - 4' (--bits)"],
    [['--fmt', 'e4m3', '--tensor', 'x.npy', '--seed', '3'], 'error: --seed goes with --dist (--seed)'],
  ])('%j', (args, want) => {
    expect(line(args)).toBe(want);
  });

  it('--fmts all --bits 3-4 ranks every format of each width, best first', () => {
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let out: string;
    try {
      out = runQuant(['--fmts', 'all', '--bits', '3-4', '--dist', 'student3', '--n', '20000', '--json']) ?? '';
    } finally {
      process.stdout.write = write;
    }
    const results = JSON.parse(out).tensors[0].results as { format: string; bits: number; sqnrDb: number }[];
    expect(results.map((r) => r.format).sort()).toEqual(['e1m1', 'e1m2', 'e2m0', 'e2m1', 'e3m0', 'int3', 'int4'].sort());
    for (let i = 1; i < results.length; i++) {
      const [p, q] = [results[i - 1], results[i]];
      expect(p.bits < q.bits || (p.bits === q.bits && p.sqnrDb >= q.sqnrDb)).toBe(true);
    }
    expect(results.find((r) => r.bits === 4)?.format).toBe('e3m0'); // heavy tails want range at 4 bits
  });
});
