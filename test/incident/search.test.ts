/** The words a search matches, and which past incidents look like this one. Pure. */
import { describe, expect, it } from 'vitest';
import { distinctiveTerms, rankSimilar, searchTerms } from '../../src/incident/search.js';

describe('search words', () => {
  it('are letters and digits, lower-cased, each once; punctuation never reaches the query', () => {
    expect(searchTerms('Redis: pool_size "exhausted"* OR x')).toEqual([
      'redis',
      'pool',
      'size',
      'exhausted',
      'or',
      'x',
    ]);
    expect(searchTerms('!!')).toEqual([]);
    expect(searchTerms('Ünïcode café')).toEqual(['ünïcode', 'café']);
  });

  it("a title's distinctive words leave out the short and the common", () => {
    expect(distinctiveTerms('High latency on the API after deploy')).toEqual(['latency', 'api', 'deploy']);
  });
});

describe('similar incidents', () => {
  it('share at least two words (or the only one), most shared first, then the most recent; never itself', () => {
    const hits = [
      [1, 2, 3, 7],
      [1, 3, 7],
      [3, 7, 9],
    ];
    expect(rankSimilar({ number: 7 }, hits, 3)).toEqual([
      { number: 3, shared: 3 },
      { number: 1, shared: 2 },
    ]);
    expect(rankSimilar({ number: 7 }, [[4, 5, 7]], 1)).toEqual([{ number: 5, shared: 1 }]);
    expect(rankSimilar({ number: 7 }, [], 3)).toEqual([]);
  });
});
