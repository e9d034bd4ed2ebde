import { describe, expect, it } from 'vitest';
import { packOutcome, unpackOutcome, type Outcome } from '../../src/shared/outcomes/outcome.js';

const id = '8f732f0a-5f4e-4fc4-bf00-4d628f24a0aa';
const url = 'https://news.example/world/2026/11/29/harbour-reopens';

describe('stored outcome records', () => {
  it('leave out what the key and the request already say, and read back the same', () => {
    const stored: Outcome = { requestId: id, url, outcome: 'stored', articleId: id, finalUrl: url, at: '2026-11-29T18:00:00.000Z' };
    const packed = packOutcome(stored);
    expect(packed).not.toContain(id);
    expect(packed.split(url).length - 1).toBe(1);
    expect(packed.length).toBeLessThan(JSON.stringify(stored).length * 0.6);
    expect(unpackOutcome(id, packed)).toEqual(stored);
  });

  it('keep an article id, a final URL or a duplicate that differ from the request', () => {
    const cases: Outcome[] = [
      { requestId: id, url, outcome: 'stored', articleId: 'another-record', finalUrl: `${url}?page=1`, at: '2026-11-29T18:00:00.000Z' },
      {
        requestId: id,
        url,
        outcome: 'duplicate',
        duplicateOf: 'b2',
        method: 'near',
        similarity: 0.82,
        finalUrl: url,
        at: '2026-11-29T18:00:00.000Z',
      },
      { requestId: id, url, outcome: 'unchanged', finalUrl: url, at: '2026-11-29T18:00:00.000Z' },
      {
        requestId: id,
        url: '',
        outcome: 'failed',
        reason: 'invalid_payload',
        detail: 'invalid extract payload: url: Invalid URL',
        at: '2026-11-29T18:00:00.000Z',
      },
    ];
    for (const o of cases) expect(unpackOutcome(id, packOutcome(o))).toEqual(o);
  });

  it('read records written in full by earlier versions', () => {
    const full: Outcome = { requestId: id, url, outcome: 'stored', articleId: id, finalUrl: url, at: '2026-11-29T18:00:00.000Z' };
    expect(unpackOutcome(id, JSON.stringify(full))).toEqual(full);
  });
});
