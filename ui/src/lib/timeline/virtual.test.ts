import { describe, expect, it } from 'vitest';
import { computeOffsets, computeWindow, rowAt } from './virtual';

describe('the virtual window', () => {
  const heights = Array.from({ length: 100_000 }, (_, i) => 50 + (i % 3) * 10);
  const offsets = computeOffsets(heights);

  it('sums heights into offsets', () => {
    expect(computeOffsets([10, 20, 30])).toEqual(new Float64Array([0, 10, 30, 60]));
  });

  it('finds the row under a y position', () => {
    const o = computeOffsets([10, 20, 30]);
    expect(rowAt(o, 0)).toBe(0);
    expect(rowAt(o, 9.9)).toBe(0);
    expect(rowAt(o, 10)).toBe(1);
    expect(rowAt(o, 59)).toBe(2);
    expect(rowAt(o, 1000)).toBe(2);
  });

  it('renders only the rows near the viewport of a 100,000-message history', () => {
    const top = offsets[50_000];
    const w = computeWindow(offsets, top, 800, 400);
    expect(w.start).toBeLessThanOrEqual(50_000);
    expect(w.end).toBeGreaterThan(50_000 + 800 / 70);
    expect(w.end - w.start).toBeLessThanOrEqual(60);
    // spacers plus rendered rows add up to the whole height
    let rendered = 0;
    for (let i = w.start; i < w.end; i++) rendered += heights[i];
    expect(w.padTop + rendered + w.padBottom).toBeCloseTo(offsets[offsets.length - 1]);
    // the viewport is covered
    expect(w.padTop).toBeLessThanOrEqual(top);
    expect(w.padTop + rendered).toBeGreaterThanOrEqual(top + 800);
  });

  it('covers the end of the list when scrolled to the bottom', () => {
    const total = offsets[offsets.length - 1];
    const w = computeWindow(offsets, total - 600, 600, 300);
    expect(w.end).toBe(heights.length);
    expect(w.padBottom).toBe(0);
  });

  it('caps the rows however short they are', () => {
    const tiny = computeOffsets(new Array(10_000).fill(1));
    const w = computeWindow(tiny, 0, 1000, 400, 60);
    expect(w.end - w.start).toBe(60);
  });

  it('keeps the rows in view when the budget cuts the overscan', () => {
    const o = computeOffsets(new Array(1000).fill(20));
    const w = computeWindow(o, 10_000, 400, 1000, 30);
    expect(w.end - w.start).toBe(30);
    expect(w.start).toBeLessThanOrEqual(500);
    expect(w.end).toBeGreaterThanOrEqual(520);
  });

  it('handles an empty list and a list shorter than the view', () => {
    expect(computeWindow(new Float64Array([0]), 0, 500, 100)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const o = computeOffsets([40, 40]);
    expect(computeWindow(o, 0, 500, 100)).toEqual({ start: 0, end: 2, padTop: 0, padBottom: 0 });
  });
});
