/**
 * Reading real tensors: `.npy` files through npyjs, and the weight initializers of an ONNX
 * model through the ONNX protobuf definitions (onnx-proto). Float16, bfloat16, float32 and
 * float64 data are widened exactly to float64; every other element type is bad input.
 */
import { readFileSync } from 'node:fs';
import { parse as parseNpy } from 'npyjs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { UsageError } from '../generators/util/errors.ts';
import type { Tensor } from './measure.ts';

const { onnx } = onnxProto;

/** Read a whole file, or a UsageError naming `flag` (missing, unreadable, a folder); `shown` is the path in messages. */
function readBytes(path: string, flag: string, shown: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read '${shown}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, flag);
  }
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The exact value of an IEEE binary16 bit pattern. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/** The exact value of a bfloat16 bit pattern (the top half of a float32). */
function bfloat16ToNumber(h: number): number {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = (h & 0xffff) << 16;
  return f[0];
}

/** Reorder a Fortran-order (column-major) array of `shape` into C order. */
function fortranToC(src: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const fStride = shape.map((_, d) => product(shape.slice(0, d)));
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let d = 0; d < rank; d++) f += idx[d] * fStride[d];
    out[c] = src[f];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Load a float `.npy` (float16/32/64, C or Fortran order) as a C-order float64 tensor named `shown` (default: the path). */
export function loadNpy(file: string, flag = '--tensor', shown = file): Tensor {
  const bytes = readBytes(file, flag, shown);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let arr: ReturnType<typeof parseNpy>;
  try {
    arr = parseNpy(buf);
  } catch (e) {
    throw new UsageError(`'${shown}' is not a valid .npy file (${(e as Error).message})`, flag);
  }
  if (!['f2', 'f4', 'f8'].includes(arr.dtype)) {
    throw new UsageError(`'${shown}' holds ${arr.dtype} elements, not a float tensor (float16, float32 or float64)`, flag);
  }
  const shape = arr.shape;
  const data = arr.data as Float32Array | Float64Array;
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || data.length !== product(shape)) {
    throw new UsageError(`'${shown}' is not a valid .npy file (shape (${shape.join(', ')}) but ${data.length} elements)`, flag);
  }
  return { name: shown, shape, data: arr.fortranOrder ? fortranToC(data, shape) : Float64Array.from(data) };
}

const FLOAT_TYPES = new Map<number, string>([
  [onnx.TensorProto.DataType.FLOAT, 'FLOAT'],
  [onnx.TensorProto.DataType.FLOAT16, 'FLOAT16'],
  [onnx.TensorProto.DataType.DOUBLE, 'DOUBLE'],
  [onnx.TensorProto.DataType.BFLOAT16, 'BFLOAT16'],
]);

/** The ONNX element type's name (`INT64`, `FLOAT16`, …). */
function typeName(t: number): string {
  return onnx.TensorProto.DataType[t] ?? `type ${t}`;
}

/** A float initializer's elements as float64, from its typed field or raw_data (little-endian). */
function initializerData(t: OnnxTypes.ITensorProto, where: string, flag: string): Float64Array {
  const type = t.dataType ?? 0;
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const fromRaw = (width: number, get: (off: number) => number): Float64Array => {
    if (raw!.length % width !== 0) throw new UsageError(`${where}: raw_data of ${raw!.length} bytes is not a whole number of ${width}-byte elements`, flag);
    const out = new Float64Array(raw!.length / width);
    for (let i = 0; i < out.length; i++) out[i] = get(i * width);
    return out;
  };
  switch (type) {
    case onnx.TensorProto.DataType.FLOAT:
      return view ? fromRaw(4, (o) => view.getFloat32(o, true)) : Float64Array.from(t.floatData ?? []);
    case onnx.TensorProto.DataType.DOUBLE:
      return view ? fromRaw(8, (o) => view.getFloat64(o, true)) : Float64Array.from(t.doubleData ?? []);
    case onnx.TensorProto.DataType.FLOAT16:
      return view ? fromRaw(2, (o) => halfToNumber(view.getUint16(o, true))) : Float64Array.from(t.int32Data ?? [], halfToNumber);
    default: // BFLOAT16
      return view ? fromRaw(2, (o) => bfloat16ToNumber(view.getUint16(o, true))) : Float64Array.from(t.int32Data ?? [], bfloat16ToNumber);
  }
}

/**
 * The float initializers of an ONNX model: one by `name`, or every float one for `all`
 * (others are listed in `skipped`); `shown` is the path in messages. Bad input throws a UsageError naming `--onnx` (file) or
 * `--init` (which initializer).
 */
export function loadOnnxInitializers(file: string, name: string, shown = file): { tensors: Tensor[]; skipped: string[] } {
  const bytes = readBytes(file, '--onnx', shown);
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UsageError(`'${shown}' is not a valid ONNX model (${(e as Error).message})`, '--onnx');
  }
  const inits = model.graph?.initializer ?? [];
  const typeOf = (t: OnnxTypes.ITensorProto): number => t.dataType ?? 0;
  const nameOf = (t: OnnxTypes.ITensorProto): string => t.name ?? '';
  if (!model.graph || inits.length === 0) throw new UsageError(`'${shown}' has no graph initializers (is it an ONNX model?)`, '--onnx');
  const names = inits.map(nameOf);
  let chosen = inits;
  if (name !== 'all') {
    chosen = inits.filter((t) => nameOf(t) === name);
    if (chosen.length === 0) throw new UsageError(`initializer '${name}' not found; available: ${names.join(', ')}`, '--init');
    if (!FLOAT_TYPES.has(typeOf(chosen[0]))) {
      throw new UsageError(`initializer '${name}' holds ${typeName(typeOf(chosen[0]))} elements, not a float tensor`, '--init');
    }
  }
  const skipped = chosen.filter((t) => !FLOAT_TYPES.has(typeOf(t))).map((t) => `${nameOf(t)} (${typeName(typeOf(t))})`);
  const floats = chosen.filter((t) => FLOAT_TYPES.has(typeOf(t)));
  if (floats.length === 0) throw new UsageError(`'${shown}' has no float initializers (only ${skipped.join(', ')})`, '--init');
  const tensors = floats.map((t): Tensor => {
    const where = `initializer '${nameOf(t)}'`;
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      throw new UsageError(`${where} keeps its data in an external file, which is not supported`, '--init');
    }
    const shape = (t.dims ?? []).map((d) => Number(d));
    const data = initializerData(t, where, '--init');
    if (data.length !== product(shape)) {
      throw new UsageError(`${where} has dims [${shape.join(', ')}] but ${data.length} elements`, '--onnx');
    }
    return { name: nameOf(t), shape, data };
  });
  return { tensors, skipped };
}

/** How many elements are NaN or ±inf. */
export function countNonFinite(data: Float64Array): number {
  let k = 0;
  for (let i = 0; i < data.length; i++) if (data[i] - data[i] !== 0) k++;
  return k;
}
