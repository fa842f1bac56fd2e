/**
 * Test vectors: a stimulus plus the golden model's outputs after every edge, packed for the
 * simulators. Widths come from the MacConfig (lanes · bits for a/w, accWidth for acc).
 *
 * Binary record (Verilator), little-endian 32-bit words per edge:
 *   ctrl (bit0 rst, bit1 en, bit2 clr, bit3 inject) | a words | w words | acc words | flags (bit0
 *   ovf, bit1 nan, bit2 pinf, bit3 ninf) | res (one word, only for a unit with `--result`) |
 *   injected acc words | injected flags (the state forced before the edge when bit3 is set).
 * Hex record (Icarus `$readmemh`), one line per edge, the same fields each padded to whole hex
 * digits, most significant field first: inj flags | inj acc | [res |] flags | acc | w | a | ctrl.
 */
import type { MacConfig } from '../generators/config/mac-config.ts';
import type { EdgeInputs, MacState } from '../generators/golden/mac-model.ts';
import { fastRun } from './fast-model.ts';

/** Word and bit layout of one record, derived from the configuration. */
export interface Layout {
  /** Bits of the a and w ports: lanes · bits of the format. */
  readonly aBits: number;
  readonly wBits: number;
  readonly accBits: number;
  /** 32-bit words per field (a port of n bits needs ceil(n/32) words). */
  readonly aWords: number;
  readonly wWords: number;
  readonly accWords: number;
  /** Bits of `res` (R's width, at most 32: one word), 0 without a result. */
  readonly resBits: number;
  /** Words of `res`: 1 with a result, else 0. */
  readonly resWords: number;
  /** Words per record: ctrl + a + w + acc + flags + res + injected acc + injected flags. */
  readonly record: number;
}

/** The record layout of a unit. */
export function layoutOf(cfg: MacConfig): Layout {
  const aBits = cfg.lanes * cfg.a.bits;
  const wBits = cfg.lanes * cfg.w.bits;
  const accBits = cfg.accWidth;
  const aWords = Math.ceil(aBits / 32);
  const wWords = Math.ceil(wBits / 32);
  const accWords = Math.ceil(accBits / 32);
  const resBits = cfg.result ? cfg.result.bits : 0;
  const resWords = cfg.result ? 1 : 0;
  return { aBits, wBits, accBits, aWords, wWords, accWords, resBits, resWords, record: 1 + aWords + wWords + accWords + 1 + resWords + accWords + 1 };
}

/** The flags word of a state (or an injected one): ovf, nan, pinf, ninf in bits 0..3. */
export function flagsWord(s: Pick<MacState, 'ovf' | 'nan' | 'pinf' | 'ninf'>): number {
  return (s.ovf ? 1 : 0) | (s.nan ? 2 : 0) | (s.pinf ? 4 : 0) | (s.ninf ? 8 : 0);
}

/** Put lane codes (lane i at bits [i*bits +: bits]) into 32-bit words at `out[at..]`. */
function packLanes(codes: readonly number[], bits: number, out: Uint32Array, at: number): void {
  for (let i = 0; i < codes.length; i++) {
    // A code has at most 16 bits, so it spans at most two words.
    const bit = i * bits;
    const word = at + (bit >>> 5);
    const off = bit & 31;
    out[word] |= (codes[i] << off) >>> 0;
    if (off + bits > 32) out[word + 1] |= codes[i] >>> (32 - off);
  }
}

/** Put a signed value as `words` 32-bit words of two's complement at `out[at..]`. */
function packSigned(v: bigint, words: number, bits: number, out: Uint32Array, at: number): void {
  if (bits <= 32) {
    out[at] = Number(BigInt.asUintN(bits, v));
    return;
  }
  let u = BigInt.asUintN(bits, v);
  for (let i = 0; i < words; i++) {
    out[at + i] = Number(u & 0xffffffffn);
    u >>= 32n;
  }
}

/** Edges with the golden model's state after each. */
export interface Vectors {
  readonly edges: readonly EdgeInputs[];
  readonly expected: readonly MacState[];
}

/** Run the golden model (its table-driven fast path, checked equal to `run`) over a stimulus. */
export function expectVectors(cfg: MacConfig, edges: readonly EdgeInputs[]): Vectors {
  return { edges, expected: fastRun(cfg, edges) };
}

/** The binary stimulus file of the Verilator harness. */
export function packBinary(cfg: MacConfig, v: Vectors): Uint8Array {
  const L = layoutOf(cfg);
  const out = new Uint32Array(v.edges.length * L.record);
  for (let c = 0; c < v.edges.length; c++) {
    const e = v.edges[c];
    const s = v.expected[c];
    let at = c * L.record;
    out[at++] = (e.rst ? 1 : 0) | (e.en ? 2 : 0) | (e.clr ? 4 : 0) | (e.inject ? 8 : 0);
    packLanes(e.a, cfg.a.bits, out, at);
    at += L.aWords;
    packLanes(e.w, cfg.w.bits, out, at);
    at += L.wWords;
    packSigned(s.acc, L.accWords, L.accBits, out, at);
    at += L.accWords;
    out[at++] = flagsWord(s);
    if (L.resWords) out[at++] = s.res >>> 0;
    if (e.inject) {
      packSigned(e.inject.acc, L.accWords, L.accBits, out, at);
      out[at + L.accWords] = flagsWord(e.inject);
    }
  }
  return new Uint8Array(out.buffer);
}

/** Hex digits of a field of n bits. */
export function hexDigits(bits: number): number {
  return Math.ceil(bits / 4);
}

function wordsHex(words: Uint32Array, at: number, n: number, bits: number): string {
  let h = '';
  for (let i = n - 1; i >= 0; i--) h += words[at + i].toString(16).padStart(8, '0');
  return h.slice(h.length - hexDigits(bits));
}

/** The `$readmemh` file of the Icarus testbench (same content as the binary file). */
export function packHex(cfg: MacConfig, binary: Uint8Array): string {
  const L = layoutOf(cfg);
  const words = new Uint32Array(binary.buffer, binary.byteOffset, binary.byteLength / 4);
  const lines: string[] = [];
  for (let at = 0; at < words.length; at += L.record) {
    const a = at + 1;
    const w = a + L.aWords;
    const acc = w + L.wWords;
    const fl = acc + L.accWords;
    const inj = fl + 1 + L.resWords;
    lines.push(
      words[inj + L.accWords].toString(16) +
        wordsHex(words, inj, L.accWords, L.accBits) +
        (L.resWords ? wordsHex(words, fl + 1, 1, L.resBits) : '') +
        words[fl].toString(16) +
        wordsHex(words, acc, L.accWords, L.accBits) +
        wordsHex(words, w, L.wWords, L.wBits) +
        wordsHex(words, a, L.aWords, L.aBits) +
        words[at].toString(16),
    );
  }
  return lines.join('\n') + '\n';
}
