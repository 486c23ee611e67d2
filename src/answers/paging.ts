/** Which page of a ranked list a reader asked for. */

/**
 * The page number a reader asked for: a missing, negative or non-numeric page is page 1, a
 * fractional one is rounded down; null past `pageCount`.
 * @example pageNumber(2.5, 3) // 2
 */
export function pageNumber(page: number | undefined, pageCount: number): number | null {
  const wanted = Number.isFinite(page) && (page ?? 1) >= 1 ? Math.floor(page!) : 1;
  return wanted > pageCount ? null : wanted;
}
