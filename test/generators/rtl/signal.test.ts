/** The width-checked signal helper refuses width mismatches instead of emitting them. */
import { describe, expect, it } from 'vitest';
import { add, Body, cat, lit, mux, named, sext, slice, zext } from '../../../generators/rtl/signal.ts';

describe('signal helper', () => {
  const a = named('a', 8);
  const b = named('b', 4);
  it('formats width-correct expressions', () => {
    expect(add(a, zext(b, 8)).expr).toBe("a + {4'd0, b}");
    expect(sext(b, 6).expr).toBe('{{2{b[3]}}, b}');
    expect(cat(lit(1, 0), a).width).toBe(9);
    expect(lit(40, -1).expr).toBe("40'hffffffffff");
    expect(slice(a, 7, 4).expr).toBe('a[7:4]');
  });
  it('throws on width mismatches', () => {
    expect(() => add(a, b)).toThrow(/rtl width check: a \(8\) \+ b \(4\)/);
    expect(() => mux(a, a, a)).toThrow(/mux select/);
    expect(() => zext(a, 4)).toThrow(/zext of 8 bits to 4/);
    expect(() => slice(a, 8, 0)).toThrow(/slice \[8:0\]/);
    expect(() => lit(3, 8)).toThrow(/does not fit 3 bits/);
  });
  it('refuses duplicate declarations', () => {
    const body = new Body();
    body.wire('x', a);
    expect(() => body.wire('x', a)).toThrow(/duplicate signal x/);
  });
});
