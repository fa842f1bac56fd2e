/**
 * The accuracy axis (issue 6): when `quant/accuracy.ts` exists and exports `pairAccuracy`, every
 * synthesized row of a report gets its SQNR figures; otherwise reports carry cost only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_EXT, PROJECT_ROOT } from '../generators/util/paths.ts';
import type { SweepResults } from './sweep.ts';

/** The signature issue 6 provides: seeded, deterministic SQNR of a (weight, activation) format pair. */
export type PairAccuracy = (weightSpec: string, activationSpec: string) => { weightSqnrDb: number; activationSqnrDb: number; outputSqnrDb: number };

/** The module that provides the accuracy figures, relative to the project root. */
export const ACCURACY_MODULE = 'quant/accuracy.ts';

/** Load `pairAccuracy` from quant/accuracy.ts, or null when that module is not there (yet). */
export async function loadPairAccuracy(): Promise<{ pairAccuracy: PairAccuracy; setup: string } | null> {
  // The compiled sweep loads the compiled module (dist/quant/accuracy.js), the sources the .ts.
  const file = CODE_EXT === '.js' ? fileURLToPath(new URL('../quant/accuracy.js', import.meta.url)) : join(PROJECT_ROOT, ACCURACY_MODULE);
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as { pairAccuracy?: unknown; describeSetup?: unknown };
  if (typeof mod.pairAccuracy !== 'function') throw new Error(`${ACCURACY_MODULE} does not export pairAccuracy`);
  const setup = typeof mod.describeSetup === 'function' ? String((mod.describeSetup as () => string)()) : 'seeded Gaussian weights, seeded Student-t activations';
  return { pairAccuracy: mod.pairAccuracy as PairAccuracy, setup };
}

/**
 * Fill in the accuracy of every synthesized row (deterministic: the figures are seeded). A pair
 * whose accuracy cannot be computed keeps its cost row without accuracy, and the reason is listed
 * in `accuracy.errors`: the cost report never fails because of the accuracy axis.
 */
export async function addAccuracy(r: SweepResults): Promise<SweepResults> {
  let f: Awaited<ReturnType<typeof loadPairAccuracy>>;
  try {
    f = await loadPairAccuracy();
  } catch (e) {
    return { ...r, accuracy: { source: ACCURACY_MODULE, setup: '', errors: [`cannot load: ${(e as Error).message}`] } };
  }
  if (!f) return r;
  const errors: string[] = [];
  const rows = r.rows.map((x) => {
    if (!x.ok) return x;
    try {
      return { ...x, accuracy: f.pairAccuracy(x.weight.spec, x.activation.spec) };
    } catch (e) {
      errors.push(`${x.weight.spec} × ${x.activation.spec}: ${(e as Error).message}`);
      return x;
    }
  });
  return { ...r, rows, accuracy: { source: ACCURACY_MODULE, setup: f.setup, errors } };
}
