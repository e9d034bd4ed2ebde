import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, recordUrl } from '../../src/shared/dedup/canonicalize-url.js';
import { contentHash } from '../../src/shared/dedup/content-hash.js';
import { MemoryDedupIndex } from '../../src/shared/dedup/dedup-index.js';
import { MemoryNearDuplicateIndex } from '../../src/shared/dedup/near-index.js';
import { articleFromText } from '../../src/shared/extract/article.js';
import { processDedup } from '../../src/workers/dedup/processor.js';
import type { DedupPayload } from '../../src/queues/payloads.js';

describe('canonicalizeUrl', () => {
  it('lower-cases the host, drops default ports, fragments and tracking parameters, sorts the query', () => {
    expect(canonicalizeUrl('HTTPS://News.Example.COM:443/a/B?utm_source=x&b=2&fbclid=abc&a=1#top')).toBe(
      'https://news.example.com/a/B?a=1&b=2',
    );
    expect(canonicalizeUrl('http://example.com:80/?gclid=1')).toBe('http://example.com/');
  });

  it('never merges two pages: a non-UTF-8 escape keeps its byte', () => {
    expect(canonicalizeUrl('https://news.example/search?q=caf%E9')).toBe('https://news.example/search?q=caf%E9');
    expect(canonicalizeUrl('https://news.example/search?q=caf%E9')).not.toBe(canonicalizeUrl('https://news.example/search?q=caf%E8'));
    expect(canonicalizeUrl('https://news.example/a%E9b')).not.toBe(canonicalizeUrl('https://news.example/a%E8b'));
    // `+` and `%20` are different bytes to a server that is not decoding a form.
    expect(canonicalizeUrl('https://news.example/?q=a+b')).not.toBe(canonicalizeUrl('https://news.example/?q=a%2Bb'));
  });

  it('merges spellings RFC 3986 calls equivalent (§6.2.2)', () => {
    const same = (a: string, b: string) => expect(canonicalizeUrl(a)).toBe(canonicalizeUrl(b));
    same('https://news.example/caf%c3%a9?q=%c3%a9', 'https://news.example/caf%C3%A9?q=%C3%A9');
    same('https://news.example/%7Euser/%41bc?x=%7E', 'https://news.example/~user/Abc?x=~');
    same('https://news.example/a/./b/../c', 'https://news.example/a/c');
    same('https://NEWS.example.:443/a', 'https://news.example/a');
    same('https://xn--mnchen-3ya.example/a', 'https://münchen.example/a');
    same('https://news.example/a?b=2&a=1&utm_campaign=x', 'https://news.example/a?a=1&b=2');
    expect(canonicalizeUrl('https://news.example/caf%c3%a9')).toBe('https://news.example/caf%C3%A9');
  });

  it('uses the page canonical when it is a valid http(s) URL', () => {
    expect(recordUrl('https://m.example.com/a?utm_medium=x', 'https://www.example.com/a').url).toBe('https://www.example.com/a');
    expect(recordUrl('https://m.example.com/a', 'javascript:alert(1)').url).toBe('https://m.example.com/a');
  });
});

describe('contentHash', () => {
  it('ignores case, whitespace, markup residue and punctuation', () => {
    expect(contentHash('Russia and China,  met.\n\nThey talked!')).toBe(contentHash('russia and china met they talked'));
    expect(contentHash('Russia and China met')).not.toBe(contentHash('China and Russia met'));
  });
});

const payload = (requestId: string, url: string, body: string): DedupPayload => ({
  requestId,
  url,
  submittedAt: 0,
  finalUrl: url,
  status: 200,
  fetchedAt: '2024-01-01T00:00:00.000Z',
  article: articleFromText({ title: 't', body, language: 'en' }),
});

describe('dedup processor', () => {
  it('sends a first sighting to tagging, a same-URL resubmission and a same-body copy to store as duplicates', async () => {
    const deps = { index: new MemoryDedupIndex(), near: new MemoryNearDuplicateIndex() };
    const first = await processDedup(payload('a', 'https://x.example/s?utm_source=t', 'one story body'), deps);
    expect(first).toMatchObject({ kind: 'next', stage: 'tag' });

    const again = await processDedup(payload('b', 'https://x.example/s', 'one story body'), deps);
    expect(again).toMatchObject({ kind: 'next', stage: 'store', payload: { duplicate: { of: 'a', method: 'url' } } });
    // The same URL with text nobody has seen: a new version of article a, to be tagged and updated.
    const edited = await processDedup(payload('b2', 'https://x.example/s', 'one story body, edited at noon'), deps);
    expect(edited).toMatchObject({ kind: 'next', stage: 'tag', payload: { updateOf: 'a' } });

    const copy = await processDedup(payload('c', 'https://mirror.example/copy', 'One story   body'), deps);
    expect(copy).toMatchObject({ kind: 'next', stage: 'store', payload: { duplicate: { of: 'a', method: 'exact' } } });
    // The copy's URL now leads to the canonical too.
    const copyAgain = await processDedup(payload('d', 'https://mirror.example/copy', 'one story body'), deps);
    expect(copyAgain).toMatchObject({ payload: { duplicate: { of: 'a', method: 'url' } } });
  });

  it('is idempotent for a retried job', async () => {
    const deps = { index: new MemoryDedupIndex(), near: new MemoryNearDuplicateIndex() };
    await processDedup(payload('a', 'https://x.example/s', 'body'), deps);
    expect(await processDedup(payload('a', 'https://x.example/s', 'body'), deps)).toMatchObject({ stage: 'tag' });
  });

  describe('record identity across sites', () => {
    it('believes a canonical on the page’s own site (by registrable domain) and refuses one on another site', () => {
      expect(recordUrl('https://news.example.co.uk/a', 'https://www.example.co.uk/story')).toEqual({
        url: 'https://www.example.co.uk/story',
        refusedCanonical: null,
      });
      // co.uk is a public suffix: example.co.uk and other.co.uk are two sites.
      expect(recordUrl('https://other.co.uk/copy', 'https://www.example.co.uk/story')).toEqual({
        url: 'https://other.co.uk/copy',
        refusedCanonical: 'https://www.example.co.uk/story',
      });
      // Private suffixes too: two github.io users are two sites.
      expect(recordUrl('https://alice.github.io/a', 'https://bob.github.io/a').url).toBe('https://alice.github.io/a');
      // Addresses are their own site; another address, or a name, is not the same site.
      expect(recordUrl('http://127.0.0.1:8080/a', 'http://127.0.0.1:9090/b').url).toBe('http://127.0.0.1:9090/b');
      expect(recordUrl('http://127.0.0.1:8080/a', 'http://127.0.0.2:8080/b').refusedCanonical).toBe('http://127.0.0.2:8080/b');
      expect(recordUrl('https://example.com/a', 'ftp://example.com/a')).toEqual({
        url: 'https://example.com/a',
        refusedCanonical: 'ftp://example.com/a',
      });
    });
  });
});
