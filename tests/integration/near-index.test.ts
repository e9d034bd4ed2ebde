// The near-duplicate index's Lua claim on real Redis, decision by decision, next to the in-memory
// index that states the rule plainly: copies and spun copies land on their original, a story
// written to the same template with other names does not, nor does a different story.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, type Fingerprint } from '../../src/shared/dedup/fingerprint.js';
import { MemoryNearDuplicateIndex, RedisNearDuplicateIndex, type NearClaim } from '../../src/shared/dedup/near-index.js';
import { extractArticle } from '../../src/shared/extract/extract-article.js';
import { bodyOf, differentStory, original, spun, syndicated } from '../fixtures/copies.js';
import { syntheticArticle } from '../fixtures/synthetic-news.js';
import { cleanupPrefix, keysOf, redisUrl, testPrefix } from '../helpers/redis.js';

/** The same story told of other people and places: every capitalised word replaced, numbers kept. */
function retold(text: string): string {
  const names = new Map<string, string>();
  return text.replace(/\b[A-Z][a-z]+\b/g, (w) => {
    if (['The', 'A', 'In', 'On', 'It', 'He', 'She', 'They', 'But', 'As', 'At'].includes(w)) return w;
    if (!names.has(w)) names.set(w, `Zor${String.fromCharCode(97 + (names.size % 26), 97 + Math.floor(names.size / 26))}ka`);
    return names.get(w)!;
  });
}

/** A light edit: every 40th word changed. */
function edited(text: string): string {
  let n = 0;
  return text.replace(/\b[a-z]{4,}\b/g, (w) => (++n % 40 === 0 ? `${w}ish` : w));
}

const fp = (text: string): Fingerprint => {
  const f = fingerprint(text);
  if (!f) throw new Error('text too short to fingerprint');
  return f;
};

describe('near-duplicate index in Redis', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    redis = new Redis(await redisUrl());
    prefix = testPrefix();
  });
  afterAll(async () => {
    redis?.disconnect();
    await cleanupPrefix(prefix);
  });

  it('decides like the in-memory index: copies land on their original, retold and different stories do not', async () => {
    const near = new RedisNearDuplicateIndex(redis, `${prefix}:a`);
    const memory = new MemoryNearDuplicateIndex();
    const claims: Array<[string, string]> = [
      ['orig', bodyOf(original)],
      ['wire', bodyOf(syndicated)],
      ['spun', bodyOf(spun)],
      ['other', bodyOf(differentStory)],
      ['retold', retold(bodyOf(original))],
      ['orig', bodyOf(original)], // a retried job claims again: still its own
    ];
    const decisions: Array<[string, NearClaim, NearClaim]> = [];
    for (const [id, text] of claims) decisions.push([id, await near.claim(id, fp(text)), await memory.claim(id, fp(text))]);
    const kinds = decisions.map(([id, r]) => `${id}:${r.kind === 'duplicate' ? `dup-of-${r.of}` : 'new'}`);
    expect(kinds).toEqual(['orig:new', 'wire:dup-of-orig', 'spun:dup-of-orig', 'other:new', 'retold:new', 'orig:new']);
    for (const [, r, m] of decisions) {
      expect(r.kind).toBe(m.kind);
      // Signatures are kept at 16 bits in Redis: the estimate may differ by a collision or two.
      if (r.kind === 'duplicate' && m.kind === 'duplicate') expect(Math.abs(r.similarity - m.similarity)).toBeLessThan(0.05);
    }
  });

  it('gives every key it writes the expiry of its generation, once', async () => {
    const generation = 15 * 86_400;
    const start = Math.ceil(Date.UTC(2026, 0, 1) / 1000 / generation) * generation;
    let now = (start + 86_400) * 1000; // a day into a generation
    const near = new RedisNearDuplicateIndex(redis, `${prefix}:t`, { windowSeconds: 30 * 86_400, now: () => now });
    const stories = Array.from({ length: 20 }, (_, i) => extractArticle(syntheticArticle(i).html, 'https://courier.example/').body);
    for (const [i, body] of stories.slice(0, 10).entries()) await near.claim(`t${i}`, fp(body));
    now += 10 * 86_400 * 1000; // later in the same generation
    for (const [i, body] of stories.slice(10).entries()) await near.claim(`u${i}`, fp(body));
    const expected = start + 3 * generation + 3_600 - (start + 86_400);
    const written = (await keysOf(redis, `${prefix}:t:*`)).filter((k) => !k.endsWith(':seq'));
    expect(written.length).toBeGreaterThan(21);
    for (const key of written) {
      // Keys first written in the later batch got the shorter expiry left by then.
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(expected - 10 * 86_400 - 3);
      expect(ttl).toBeLessThanOrEqual(expected + 1);
    }
    // The signatures' hash was created in the first batch: its expiry was not renewed by the second.
    const [sigKey] = written.filter((k) => k.includes(':sig:'));
    expect(Math.abs((await redis.ttl(sigKey!)) - expected)).toBeLessThanOrEqual(2);
  });

  it('still claims after the server has lost its scripts (a restart, a failover)', async () => {
    const near = new RedisNearDuplicateIndex(redis, `${prefix}:c`);
    expect(await near.claim('first', fp(bodyOf(original)))).toEqual({ kind: 'new' });
    await redis.script('FLUSH');
    expect(await near.claim('copy', fp(bodyOf(spun)))).toMatchObject({ kind: 'duplicate', of: 'first' });
  });

  it("keeps 300 template-written stories apart and finds each one's edited copy", async () => {
    const near = new RedisNearDuplicateIndex(redis, `${prefix}:b`);
    const bodies = Array.from({ length: 300 }, (_, i) => extractArticle(syntheticArticle(i).html, 'https://courier.example/').body);
    for (const [i, body] of bodies.entries()) expect(await near.claim(`s${i}`, fp(body))).toEqual({ kind: 'new' });
    for (const [i, body] of bodies.entries()) {
      const claim = await near.claim(`copy${i}`, fp(edited(body)));
      expect(claim).toMatchObject({ kind: 'duplicate', of: `s${i}` });
    }
  });
});
