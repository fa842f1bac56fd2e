/** A small bounded-concurrency map, shared by the benches, verify-all and the tests. */

/** Run `fn` over `items`, at most `jobs` at a time, results in input order. */
export async function pool<T, R>(items: readonly T[], jobs: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return out;
}
