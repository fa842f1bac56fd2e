/**
 * Seeded synthetic tensors: Gaussian, Laplace, Student-t with 3 degrees of freedom (heavy
 * tails, like transformer activations) and uniform, each with unit scale parameter.
 */
import { UsageError } from '../generators/util/errors.ts';
import { fillNormal, Rng } from './rng.ts';

/** The distributions `--dist` accepts. */
export const DISTRIBUTIONS = ['gauss', 'laplace', 'student3', 'uniform'] as const;

/** One of {@link DISTRIBUTIONS}. */
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** Validate a `--dist` value; a UsageError naming `flag` when it is not one of {@link DISTRIBUTIONS}. */
export function parseDistribution(text: string, flag = '--dist'): Distribution {
  const d = text.trim().toLowerCase();
  if ((DISTRIBUTIONS as readonly string[]).includes(d)) return d as Distribution;
  throw new UsageError(`unknown distribution '${text}': expected gauss, laplace, student3 or uniform`, flag);
}

/**
 * `n` seeded samples: gauss N(0, 1); laplace with scale 1 (inverse CDF); student3 = Z / sqrt(χ²₃ / 3)
 * with χ²₃ a sum of three squared normals; uniform on [-1, 1).
 */
export function sample(dist: Distribution, n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  switch (dist) {
    case 'gauss':
      return fillNormal(rng, out);
    case 'laplace':
      for (let i = 0; i < n; i++) {
        const u = rng.nextOpen() - 0.5;
        out[i] = u < 0 ? Math.log(1 + 2 * u) : -Math.log(1 - 2 * u);
      }
      return out;
    case 'student3': {
      const z = fillNormal(rng, new Float64Array(4));
      for (let i = 0; i < n; i++) {
        fillNormal(rng, z);
        const chi2 = z[1] * z[1] + z[2] * z[2] + z[3] * z[3];
        out[i] = z[0] / Math.sqrt(chi2 / 3);
      }
      return out;
    }
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = 2 * rng.nextDouble() - 1;
      return out;
  }
}
