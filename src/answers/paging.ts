/** Cutting a ranked list into pages. */

export interface PageSlice<T> {
  page: number;
  pageCount: number;
  items: T[];
}

/**
 * The requested 1-based page of `list`, or null when the page is past the end.
 * A missing, fractional or negative page number means page 1.
 * @example pageOf([1, 2, 3], 2, 2) // { page: 2, pageCount: 2, items: [3] }
 */
export function pageOf<T>(list: readonly T[], page: number | undefined, pageSize: number): PageSlice<T> | null {
  const size = Math.max(1, Math.floor(pageSize));
  const pageCount = Math.max(1, Math.ceil(list.length / size));
  const wanted = pageNumber(page, pageCount);
  if (wanted === null) return null;
  const start = (wanted - 1) * size;
  return { page: wanted, pageCount, items: list.slice(start, start + size) };
}

/**
 * `pageOf`'s rule for the page number alone, for lists that are not built whole: a missing,
 * negative or non-numeric page is page 1, a fractional one is rounded down; null past `pageCount`.
 * @example pageNumber(2.5, 3) // 2
 */
export function pageNumber(page: number | undefined, pageCount: number): number | null {
  const wanted = Number.isFinite(page) && (page ?? 1) >= 1 ? Math.floor(page!) : 1;
  return wanted > pageCount ? null : wanted;
}
