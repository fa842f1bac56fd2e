/**
 * Test-side writers of the files `quant` reads: a minimal `.npy` writer (format version 1.0,
 * written here independently of the npyjs parser the code uses) and ONNX models encoded with
 * onnx-proto's own encoder.
 */
import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Write a `.npy` file: `descr` such as '<f4', the raw little-endian element bytes, and the shape. */
export function writeNpy(path: string, descr: string, shape: readonly number[], body: Uint8Array, fortran = false): void {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${dims}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(body, 10 + header.length);
  writeFileSync(path, out);
}

/** The bytes of a typed array, as they lie in memory (little-endian on every machine we run on). */
export function bytesOf(a: Float32Array | Float64Array | Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Encode and write an ONNX model whose graph holds exactly these initializers (onnx-proto encoder). */
export function writeOnnx(path: string, initializers: Record<string, unknown>[]): void {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'minimac-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'g', initializer: initializers.map((t) => onnx.TensorProto.create(t)), node: [], input: [], output: [] },
  });
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
}

/** ONNX element type codes used by the tests. */
export const DT = onnx.TensorProto.DataType;
