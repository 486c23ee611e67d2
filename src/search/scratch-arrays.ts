/**
 * Per-document work arrays lent to one query at a time and given back. A query at 50,000 items
 * allocated about a megabyte of them (marks, scores, counts); typed arrays that size live outside
 * the heap, and their churn kept starting full collections of the ~270 MB heap every few seconds
 * of searching, charged to whichever query was running. Lent arrays come back zeroed.
 */
type Kind = 'u8' | 'u16' | 'i32' | 'f64';
type ArrayOf<K extends Kind> = K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'i32' ? Int32Array : Float64Array;

/** Arrays kept per kind: more than a query holds at once is garbage anyway. */
const KEPT_PER_KIND = 32;

export class ScratchArrays {
  private free: { [K in Kind]: Array<ArrayOf<K>> } = { u8: [], u16: [], i32: [], f64: [] };
  private size = 0;

  /** A zeroed array of `size` elements (the pool is emptied when the size changes). */
  take<K extends Kind>(kind: K, size: number): ArrayOf<K> {
    if (size !== this.size) {
      this.free = { u8: [], u16: [], i32: [], f64: [] };
      this.size = size;
    }
    const kept = this.free[kind].pop();
    if (kept !== undefined) return kept as ArrayOf<K>;
    return create(kind, size) as ArrayOf<K>;
  }

  /** Gives arrays back; they must not be used after. Arrays of another size are dropped. */
  give(kind: Kind, arrays: ReadonlyArray<ArrayOf<Kind>>): void {
    const list = this.free[kind] as Array<ArrayOf<Kind>>;
    for (const array of arrays) {
      if (array.length !== this.size || list.length >= KEPT_PER_KIND) continue;
      array.fill(0);
      list.push(array);
    }
  }
}

function create(kind: Kind, size: number): ArrayOf<Kind> {
  switch (kind) {
    case 'u8':
      return new Uint8Array(size);
    case 'u16':
      return new Uint16Array(size);
    case 'i32':
      return new Int32Array(size);
    case 'f64':
      return new Float64Array(size);
  }
}
