/**
 * `npm run quant -- --fmt e4m3 --dist gauss`: the quantization error of formats on a tensor
 * (synthetic, `.npy`, or ONNX initializers): SQNR, MSE, fraction clipped, fraction flushed to zero.
 * `--fmts all --bits 3-8` ranks every format of each width on the same tensor.
 */
import { formatsOfWidth, parseFormat, type Format } from '../../generators/formats/format.ts';
import { helpText, noPositional, parseArgs, type FlagSpec } from '../../generators/cli/args.ts';
import { isMain, runCommand } from '../../generators/cli/main.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { intInRange } from '../../generators/util/numbers.ts';
import { userPath } from '../../generators/util/paths.ts';
import { parseDistribution, sample } from '../dist.ts';
import { quantizerFor } from '../lut.ts';
import { measure, parseScale, scaleName, type Measurement, type ScaleRule, type Tensor } from '../measure.ts';
import { countNonFinite, loadNpy, loadOnnxInitializers } from '../tensor.ts';

const FLAGS: Record<string, FlagSpec> = {
  fmt: { value: true, arg: 'FMT', help: 'one format (e4m3, e2m1, int8, e4m3fn, float8_e5m2, ...)' },
  fmts: { value: true, arg: 'all|F1,F2', help: 'several formats: a comma list, or all (every ExMy and int of each --bits width), ranked per width' },
  bits: { value: true, arg: 'LO-HI', help: 'widths for --fmts all: 3-8 (default), 8, or 4,6,8' },
  dist: { value: true, arg: 'gauss|laplace|student3|uniform', help: 'a seeded synthetic tensor' },
  n: { value: true, arg: 'N', help: 'elements of the synthetic tensor (default 1000000)' },
  seed: { value: true, arg: 'S', help: 'seed of the synthetic tensor (default 1)' },
  tensor: { value: true, arg: 'FILE.npy', help: 'a real tensor from a .npy file (float16/32/64)' },
  onnx: { value: true, arg: 'MODEL.onnx', help: 'weight initializers of an ONNX model (with --init)' },
  init: { value: true, arg: 'NAME|all', help: 'which initializer of --onnx (default all: every float one)' },
  scale: { value: true, arg: 'absmax|percentile:P|mse', help: 'how the scale maps the data onto the format range (default absmax)' },
  'per-channel': { value: true, arg: 'AXIS', help: 'one scale per index along AXIS instead of one per tensor' },
  'ignore-nonfinite': { value: false, help: 'quantize the finite elements when the data holds NaN or inf (else bad input)' },
  json: { value: false, help: 'print the results as JSON' },
  help: { value: false, help: 'show this help' },
};

const DEFAULT_N = 1_000_000;
const MAX_N = 50_000_000;

/** Parse `--bits`: `3-8`, `8`, or `4,6,8`, each width 3 to 16. */
function parseBits(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text);
  const widths: number[] = [];
  if (range) {
    const [lo, hi] = [intInRange(range[1], '--bits', 3, 16), intInRange(range[2], '--bits', 3, 16)];
    if (lo > hi) throw new UsageError(`range ${lo}-${hi} is empty`, '--bits');
    for (let b = lo; b <= hi; b++) widths.push(b);
  } else {
    for (const w of text.split(',')) widths.push(intInRange(w, '--bits', 3, 16));
  }
  return [...new Set(widths)].sort((a, b) => a - b);
}

/** The formats asked for by --fmt / --fmts / --bits. */
function chooseFormats(flags: Readonly<Record<string, string | true>>): { formats: Format[]; ranked: boolean } {
  const fmt = flags.fmt as string | undefined;
  const fmts = flags.fmts as string | undefined;
  if (fmt !== undefined && fmts !== undefined) throw new UsageError('give --fmt or --fmts, not both', '--fmts');
  if (flags.bits !== undefined && fmts?.trim().toLowerCase() !== 'all') throw new UsageError('--bits goes with --fmts all', '--bits');
  if (fmt !== undefined) return { formats: [parseFormat(fmt, '--fmt')], ranked: false };
  if (fmts === undefined) throw new UsageError('give a format with --fmt FMT, or --fmts all', '--fmt');
  if (fmts.trim().toLowerCase() === 'all') {
    const widths = parseBits((flags.bits as string | undefined) ?? '3-8');
    return { formats: widths.flatMap((b) => formatsOfWidth(b)).map((s) => parseFormat(s, '--fmts')), ranked: true };
  }
  const specs = fmts.split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length === 0) throw new UsageError('needs at least one format', '--fmts');
  return { formats: specs.map((s) => parseFormat(s, '--fmts')), ranked: true };
}

/** The tensors asked for by --dist / --tensor / --onnx, checked for emptiness and non-finite values. */
function chooseTensors(flags: Readonly<Record<string, string | true>>): { tensors: Tensor[]; skipped: string[]; nonfinite: number[] } {
  const sources = (['dist', 'tensor', 'onnx'] as const).filter((k) => flags[k] !== undefined);
  if (sources.length === 0) throw new UsageError('give a tensor: --dist gauss|laplace|student3|uniform, --tensor FILE.npy or --onnx MODEL.onnx', '--dist');
  if (sources.length > 1) throw new UsageError(`give one tensor source, not ${sources.map((s) => `--${s}`).join(' and ')}`, `--${sources[1]}`);
  const src = sources[0];
  for (const k of ['n', 'seed'] as const) if (flags[k] !== undefined && src !== 'dist') throw new UsageError(`--${k} goes with --dist`, `--${k}`);
  if (flags.init !== undefined && src !== 'onnx') throw new UsageError('--init goes with --onnx', '--init');
  let tensors: Tensor[];
  let skipped: string[] = [];
  let flag: string;
  if (src === 'dist') {
    const dist = parseDistribution(flags.dist as string);
    const n = flags.n === undefined ? DEFAULT_N : intInRange(flags.n as string, '--n', 1, MAX_N);
    const seed = flags.seed === undefined ? 1 : intInRange(flags.seed as string, '--seed', 0, 2 ** 32 - 1);
    tensors = [{ name: `${dist}(n=${n}, seed=${seed})`, shape: [n], data: sample(dist, n, seed) }];
    flag = '--dist';
  } else if (src === 'tensor') {
    tensors = [loadNpy(userPath(flags.tensor as string), '--tensor', flags.tensor as string)];
    flag = '--tensor';
  } else {
    ({ tensors, skipped } = loadOnnxInitializers(userPath(flags.onnx as string), (flags.init as string | undefined) ?? 'all', flags.onnx as string));
    flag = flags.init === undefined ? '--onnx' : '--init';
  }
  const nonfinite = tensors.map((t) => {
    if (t.data.length === 0) throw new UsageError(`tensor '${t.name}' is empty (shape [${t.shape.join(', ')}])`, flag);
    const k = countNonFinite(t.data);
    if (k > 0 && !flags['ignore-nonfinite']) {
      throw new UsageError(`tensor '${t.name}' holds ${k} non-finite values (NaN or inf); pass --ignore-nonfinite to quantize the rest`, flag);
    }
    if (k === t.data.length) throw new UsageError(`tensor '${t.name}' has no finite values to quantize`, flag);
    return k;
  });
  return { tensors, skipped, nonfinite };
}

/** The channel axis of --per-channel for a tensor (negative counts from the end), or null. */
function channelAxis(text: string | undefined, t: Tensor): number | null {
  if (text === undefined) return null;
  const rank = t.shape.length;
  const a = intInRange(text, '--per-channel', -64, 63);
  if (a < -rank || a >= rank) throw new UsageError(`axis ${a} is out of range for '${t.name}' of shape [${t.shape.join(', ')}]`, '--per-channel');
  return a < 0 ? a + rank : a;
}

/** One tensor's results, in the order printed (by width, best SQNR first, when ranked). */
interface TensorReport {
  readonly tensor: Tensor;
  readonly nonfinite: number;
  readonly axis: number | null;
  readonly results: Measurement[];
}

function percent(f: number): string {
  if (f === 0) return '0';
  return f >= 0.01 ? `${(100 * f).toFixed(2)}%` : `${(100 * f).toPrecision(2)}%`;
}

function formatText(reports: readonly TensorReport[], rule: ScaleRule, ranked: boolean, skipped: readonly string[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const where = r.axis === null ? 'per tensor' : `per channel along axis ${r.axis} (${r.tensor.shape[r.axis]} channels)`;
    lines.push(`tensor  ${r.tensor.name}  shape [${r.tensor.shape.join(', ')}]${r.nonfinite ? `  (${r.nonfinite} non-finite ignored)` : ''}`);
    lines.push(`scale   ${scaleName(rule)}, ${where}`);
    const head = ['', 'format', 'bits', 'SQNR dB', 'MSE', 'clipped', 'flushed'];
    const rows = r.results.map((m, i) => {
      const rank = ranked ? String(r.results.filter((o, j) => j < i && o.bits === m.bits).length + 1) : '';
      const sqnr = Number.isFinite(m.sqnrDb) ? m.sqnrDb.toFixed(2) : 'inf';
      return [rank, m.format, String(m.bits), sqnr, m.mse.toExponential(3), percent(m.clipped), percent(m.flushed)];
    });
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
    const fmtRow = (row: string[]): string => row.map((cell, c) => (c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
    lines.push(fmtRow(head));
    rows.forEach((row, i) => {
      if (ranked && i > 0 && r.results[i - 1].bits !== r.results[i].bits) lines.push('');
      lines.push(fmtRow(row));
    });
    lines.push('');
  }
  if (skipped.length) lines.push(`skipped (not float): ${skipped.join(', ')}`, '');
  return lines.join('\n');
}

/** Run `quant` on argv; returns what was printed (for tests) or null for --help. */
export function runQuant(argv: readonly string[]): string | null {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(
      helpText(
        'minimac quant (--fmt FMT | --fmts all [--bits 3-8]) (--dist D [--n N] [--seed S] | --tensor F.npy | --onnx M.onnx [--init NAME|all]) [flags]   (or: npm run quant -- …)',
        'Quantization error of number formats on a tensor: exact RNE into the format (saturating), SQNR, MSE, clipped and flushed-to-zero fractions.',
        FLAGS,
        [
          'minimac quant --fmt e4m3 --dist gauss',
          'minimac quant --fmts all --bits 8 --dist student3',
          'minimac quant --fmt int8 --tensor weights.npy --scale percentile:99.9 --per-channel 0 --json',
        ],
      ),
    );
    return null;
  }
  noPositional(positional);
  const { formats, ranked } = chooseFormats(flags);
  const rule = parseScale(typeof flags.scale === 'string' ? flags.scale : 'absmax');
  if (flags.dist !== undefined) parseDistribution(flags.dist as string); // before the sampling cost
  const { tensors, skipped, nonfinite } = chooseTensors(flags);
  const axes = tensors.map((t) => channelAxis(flags['per-channel'] as string | undefined, t));
  const reports: TensorReport[] = tensors.map((tensor, i) => {
    const results = formats.map((f) => measure(quantizerFor(f), tensor, { scale: rule, axis: axes[i] }));
    if (ranked) results.sort((a, b) => a.bits - b.bits || b.sqnrDb - a.sqnrDb || a.format.localeCompare(b.format));
    return { tensor, nonfinite: nonfinite[i], axis: axes[i], results };
  });
  const text = flags.json
    ? JSON.stringify(
        {
          scale: scaleName(rule),
          perChannel: axes[0] ?? null,
          skipped,
          tensors: reports.map((r) => ({
            name: r.tensor.name,
            shape: r.tensor.shape,
            nonfinite: r.nonfinite,
            results: r.results.map((m) => ({
              format: m.format,
              bits: m.bits,
              n: m.n,
              sqnrDb: Number.isFinite(m.sqnrDb) ? m.sqnrDb : null,
              mse: m.mse,
              clipped: m.clipped,
              flushed: m.flushed,
              ...(r.axis === null ? { scale: m.scales[0] } : {}),
            })),
          })),
        },
        null,
        2,
      ) + '\n'
    : formatText(reports, rule, ranked, skipped);
  process.stdout.write(text);
  return text;
}

/** The quant command on argv; returns the exit code. */
export function main(argv: readonly string[]): number {
  runQuant(argv);
  return 0;
}

if (isMain(import.meta.url)) await runCommand(() => main(process.argv.slice(2)));
