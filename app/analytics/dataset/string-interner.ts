/**
 * Maps strings (customer ids, product ids, sources, countries) to dense integers 0..n-1 so the
 * columnar dataset can store them in Int32Arrays and index per-entity arrays directly.
 */
export class StringInterner {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  /** The id of `value`, assigning the next free one on first sight. */
  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.index.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The id of `value`, or -1 when it was never interned. */
  lookup(value: string): number {
    return this.index.get(value) ?? -1;
  }

  /** Forgets the lookup index (ids stay valid in `values`); frees memory once no more strings come. */
  dropIndex(): void {
    this.index.clear();
  }

  get size(): number {
    return this.values.length;
  }
}
