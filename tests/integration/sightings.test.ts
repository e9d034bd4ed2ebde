// A copy whose "original" is itself a copy that landed on an earlier record: the sighting follows
// it to the record instead of waiting for an article that will never exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFromText } from '../../src/shared/extract/article.js';
import { SqlArticleStore } from '../../src/shared/store/article-store.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { processStore, type StoreDeps } from '../../src/workers/store/processor.js';

const article = articleFromText({
  title: 'Harbour cranes replaced',
  body: 'The port replaced its four oldest cranes over the weekend.',
  language: 'en',
});

describe('store stage sightings', () => {
  let db: Database;
  let deps: StoreDeps;
  const landedOn = new Map<string, string>();

  beforeAll(async () => {
    db = await openPglite(null);
    await migrate(db);
    const store = new SqlArticleStore(db);
    await store.upsertArticle(
      {
        id: 'req-first',
        url: 'https://port.example/cranes',
        canonicalUrl: 'https://port.example/cranes',
        finalUrl: 'https://port.example/cranes',
        article,
        contentHash: 'a'.repeat(64),
        fetchedAt: new Date().toISOString(),
        entities: [],
        countries: [],
        focus: [],
      },
      () => [],
    );
    // req-second was a copy of the same page; its outcome says it landed on req-first's record.
    landedOn.set('req-second', 'req-first');
    deps = {
      store,
      validators: { get: async () => null, set: async () => {} },
      eventSource: 'urn:test',
      schemaBase: 'urn:test:',
      now: () => new Date(),
      recordOf: async (id) => landedOn.get(id) ?? null,
    };
  });

  afterAll(async () => {
    await db?.close();
  });

  it('records a copy of a copy against the record the first copy landed on', async () => {
    const out = await processStore(
      {
        requestId: 'req-third',
        url: 'https://mirror.example/cranes',
        submittedAt: Date.now(),
        finalUrl: 'https://mirror.example/cranes',
        duplicate: { of: 'req-second', method: 'exact', similarity: 1 },
      },
      deps,
    );
    expect(out).toMatchObject({ kind: 'done', outcome: { outcome: 'duplicate', duplicateOf: 'req-first' } });
    const { rows } = await db.query<{ article_id: string }>("SELECT article_id FROM sightings WHERE id = 'req-third'");
    expect(rows).toEqual([{ article_id: 'req-first' }]);
    // Its event was queued with it.
    const { rows: queued } = await db.query<{ of: string }>(
      "SELECT event->'data'->>'duplicateOf' AS of FROM outbox WHERE event->'data'->>'id' = 'req-third'",
    );
    expect(queued).toEqual([{ of: 'req-first' }]);
  });

  it('still waits (retryably) when the original is simply not stored yet', async () => {
    await expect(
      processStore(
        {
          requestId: 'req-fourth',
          url: 'https://mirror.example/other',
          submittedAt: Date.now(),
          finalUrl: 'https://mirror.example/other',
          duplicate: { of: 'req-unknown', method: 'near', similarity: 0.8 },
        },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'canonical_pending' });
    // Nothing was written for it: no sighting, no event.
    const { rows } = await db.query(
      "SELECT 1 FROM sightings WHERE id = 'req-fourth' UNION ALL SELECT 1 FROM outbox WHERE event->'data'->>'id' = 'req-fourth'",
    );
    expect(rows).toEqual([]);
  });
});
