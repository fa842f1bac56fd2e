/**
 * Stimulus sizes for the many-unit runs (the CI matrix, verify:all). Every (a, w) pair is
 * still enumerated where there are at most 2^16 for Verilator; the random parts are smaller
 * than the CLI's defaults (10^5) so ~100 units fit the CI budget. Icarus, an interpreter far
 * slower than Verilator, enumerates up to 2^12 combinations and gets a shorter random sequence:
 * what it adds is the second opinion with X driven on idle operands.
 */
import type { VerifyOptions } from './verify.ts';

/** Verilator options of a matrix unit. */
export const MATRIX_VERILATOR: VerifyOptions = { seed: 7, beats: 20_000, pairs: 20_000, sequences: 8, resultBeats: 12_000 };
/** Icarus options of a matrix unit. */
export const MATRIX_ICARUS: VerifyOptions = { seed: 8, beats: 3_000, pairs: 3_000, sequences: 4, exhaustiveBits: 12, resultBeats: 3_000 };
