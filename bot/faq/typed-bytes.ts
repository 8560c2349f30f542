/**
 * Typed arrays over stored bytes (the FAQ classifier, the TF-IDF index): a view when the bytes are aligned for the
 * type, which they are when a file was read whole (`readFileSync` gives a buffer of its own, at offset 0), else a copy.
 * A view costs nothing; copying the classifier's 7 MB of weights twice was most of reading it in a cold process.
 * Nobody writes into a read model, so sharing the bytes is safe.
 */
export function float64At(bytes: Uint8Array, at: number, count: number): Float64Array {
  const offset = bytes.byteOffset + at;
  return offset % 8 === 0
    ? new Float64Array(bytes.buffer, offset, count)
    : new Float64Array(bytes.buffer.slice(offset, offset + count * 8));
}

export function int32At(bytes: Uint8Array, at: number, count: number): Int32Array {
  const offset = bytes.byteOffset + at;
  return offset % 4 === 0
    ? new Int32Array(bytes.buffer, offset, count)
    : new Int32Array(bytes.buffer.slice(offset, offset + count * 4));
}
