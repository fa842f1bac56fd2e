/** Planting bugs into generated RTL text for the tests that prove verify can fail. */
import { expect } from 'vitest';

/** Replace the first match of `re` (which must match) in `text`, and insist the text changed. */
export function plant(text: string, re: RegExp, by: string | ((...m: string[]) => string)): string {
  expect(re.test(text), `pattern ${re} must occur in the generated RTL`).toBe(true);
  const out = text.replace(re, by as string);
  expect(out).not.toBe(text);
  return out;
}
