/**
 * Append-only typed-array columns that double their capacity when full.
 *
 * The dataset builder receives rows one by one from a stream, so the final length is unknown;
 * doubling keeps appends amortised O(1) while the data stays in flat typed arrays (8 bytes per
 * number instead of a boxed object per row).
 */
export class GrowableFloat64Column {
  private data: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** A view trimmed to the used length (no copy). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  /** Drops the buffer (after the dataset has copied what it needs). */
  release(): void {
    this.data = new Float64Array(0);
    this.length = 0;
  }
}

/** Int32 twin of {@link GrowableFloat64Column} for interned ids and day indices. */
export class GrowableInt32Column {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.data = doubledInt32(this.data);
    this.data[this.length++] = value;
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  release(): void {
    this.data = new Int32Array(0);
    this.length = 0;
  }
}

/** A copy of `values` with twice the capacity, for loops that fill typed arrays of unknown final length by index. */
export function doubledInt32(values: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(1, 2 * values.length));
  grown.set(values);
  return grown;
}
