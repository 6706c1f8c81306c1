// The virtual list's arithmetic: row offsets from (measured or estimated) heights, and the
// window of rows to put in the DOM for a scroll position. Pure, so it is unit-tested.

/** Offsets of each row's top; `offsets[n]` is the total height. */
export function computeOffsets(heights: ArrayLike<number>): Float64Array {
  const n = heights.length;
  const offsets = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + heights[i];
  return offsets;
}

/** The index of the row containing `y` (clamped to the rows there are). */
export function rowAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface VirtualWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Space standing in for the rows above `start`. */
  padTop: number;
  /** Space standing in for the rows from `end` on. */
  padBottom: number;
}

/**
 * The rows that intersect the viewport `[scrollTop, scrollTop + viewport)` widened by
 * `overscan` pixels on each side, capped at `maxRows` so the DOM stays small however
 * short the rows are.
 */
export function computeWindow(
  offsets: Float64Array,
  scrollTop: number,
  viewport: number,
  overscan: number,
  maxRows = 60,
): VirtualWindow {
  const n = offsets.length - 1;
  const total = n > 0 ? offsets[n] : 0;
  if (n <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const top = Math.max(0, scrollTop - overscan);
  const bottom = Math.min(total, scrollTop + Math.max(0, viewport) + overscan);
  let start = rowAt(offsets, top);
  let end = Math.min(n, rowAt(offsets, Math.max(top, bottom - 1e-6)) + 1);
  if (end - start > maxRows) {
    // Over budget: keep the rows in view and share what is left between both sides.
    const viewTop = Math.min(Math.max(0, scrollTop), total);
    const visStart = rowAt(offsets, viewTop);
    const visEnd = Math.min(n, rowAt(offsets, Math.max(viewTop, Math.min(total, viewTop + viewport) - 1e-6)) + 1);
    const spare = Math.max(0, maxRows - (visEnd - visStart));
    start = Math.max(start, visStart - Math.floor(spare / 2));
    end = Math.min(end, visEnd + Math.ceil(spare / 2));
    if (end - start > maxRows) end = start + maxRows;
  }
  return { start, end, padTop: offsets[start], padBottom: total - offsets[end] };
}
