import { describe, expect, it } from 'vitest';
import { float64At, int32At } from '../../../bot/faq/typed-bytes.js';

describe('typed arrays over stored bytes', () => {
  const values = Float64Array.from([1.5, -2.25, Math.PI]);
  const ints = Int32Array.from([7, -1, 2 ** 30]);
  const bytes = (prefix: number) => {
    const out = new Uint8Array(prefix + values.byteLength + ints.byteLength);
    out.set(new Uint8Array(values.buffer), prefix);
    out.set(new Uint8Array(ints.buffer), prefix + values.byteLength);
    return out.subarray(prefix);
  };

  it('are views of aligned bytes (no copy) and copies of others, with the same values', () => {
    const aligned = bytes(0);
    const view = float64At(aligned, 0, 3);
    expect(view.buffer).toBe(aligned.buffer);
    expect([...view]).toEqual([...values]);
    expect([...int32At(aligned, 24, 3)]).toEqual([...ints]);

    const shifted = bytes(1); // as a slice of a larger buffer can be
    const copy = float64At(shifted, 0, 3);
    expect(copy.buffer).not.toBe(shifted.buffer);
    expect([...copy]).toEqual([...values]);
    expect([...int32At(shifted, 24, 3)]).toEqual([...ints]);
  });
});
