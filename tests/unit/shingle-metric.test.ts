import { describe, expect, it } from 'vitest';
import { corpusScore, scorePage, shingles } from '../../bench/lib/shingle-metric.js';

describe('scrapinghub body metric', () => {
  it('counts 4-token shingles of word characters as a multiset', () => {
    expect([...shingles('A b, c d! e').entries()]).toEqual([
      ['A b c d', 1],
      ['b c d e', 1],
    ]);
    expect(shingles('x y z x y z x y z').get('x y z x')).toBe(2);
  });

  it('scores a page by shared shingles', () => {
    expect(scorePage('one two three four five', 'one two three four five')).toEqual({ tp: 2, fp: 0, fn: 0 });
    expect(scorePage('one two three four five six', 'one two three four five')).toEqual({ tp: 2, fp: 1, fn: 0 });
    expect(scorePage('', 'one two three four')).toEqual({ tp: 0, fp: 0, fn: 1 });
  });

  it('averages precision over pages with output and recall over all pages', () => {
    const s = corpusScore([
      { tp: 1, fp: 1, fn: 0 },
      { tp: 0, fp: 0, fn: 4 },
      { tp: 0, fp: 0, fn: 0 },
    ]);
    expect(s.precision).toBeCloseTo((0.5 + 1) / 2);
    expect(s.recall).toBeCloseTo((1 + 0 + 1) / 3);
    expect(s.f1).toBeCloseTo((2 * 0.75 * (2 / 3)) / (0.75 + 2 / 3));
  });
});
