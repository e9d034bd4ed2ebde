// The article write is one statement (row, entities, newsletter items) plus one for its events, in
// a transaction: a re-store replaces the entity set, and the events keep the order they were given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlArticleStore, type NewArticle } from '../../src/shared/store/article-store.js';
import type { Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import type { CloudEvent } from '../../src/shared/events/cloud-event.js';
import type { EntityMention } from '../../src/shared/tag/entity.js';
import { storesUnderTest } from '../helpers/postgres.js';

const stores = await storesUnderTest('the article store tests');

const entity = (id: string, name: string, mentions: number): EntityMention =>
  ({ id, qid: null, type: 'country', name, mentions, firstOffset: 0, salience: mentions / 10 }) as EntityMention;

const input = (id: string, entities: EntityMention[], topics: string[] = []): NewArticle => ({
  id,
  url: 'https://port.example/cranes?ref=home',
  canonicalUrl: 'https://port.example/cranes',
  finalUrl: 'https://port.example/cranes',
  article: {
    title: 'Harbour cranes replaced',
    authors: ['Ilse Brandt'],
    publishedAt: '2024-05-06T08:00:00+02:00',
    modifiedAt: null,
    description: null,
    language: 'en',
    siteName: 'Port News',
    canonicalUrl: null,
    image: null,
    section: null,
    tags: [],
    isAccessibleForFree: null,
    body: 'The port replaced its four oldest cranes over the weekend.',
    wordCount: 10,
  },
  contentHash: id.padEnd(64, '0'),
  fetchedAt: new Date().toISOString(),
  entities,
  countries: entities.map((e) => e.id),
  focus: [],
  topics,
});

const events = (written: { id: string; storedAt: string }, n: number): CloudEvent[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        specversion: '1.0',
        id: `${written.id}-ev-${String.fromCharCode(122 - i)}`,
        source: 'urn:test',
        type: i === 0 ? 'news.article.stored' : 'news.newsletter.item',
        subject: written.id,
        time: written.storedAt,
        datacontenttype: 'application/json',
        dataschema: 'urn:test:schema',
        data: { id: written.id },
      }) satisfies CloudEvent,
  );

describe.each(stores)('article store on $name', ({ open }) => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: SqlArticleStore;

  beforeAll(async () => {
    ({ db, drop } = await open());
    await migrate(db);
    store = new SqlArticleStore(db);
  });

  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('replaces the entity set on a re-store and keeps the first writer’s id', async () => {
    const first = await store.upsertArticle(input('req-1', [entity('CN', 'China', 3), entity('RU', 'Russia', 2)], ['asia']), (w) =>
      events(w, 2),
    );
    expect(first.id).toBe('req-1');
    // The events were written with the row, stamped with the time the row has.
    const { rows: queued } = await db.query<{ event: CloudEvent | string }>('SELECT event FROM outbox');
    const times = queued.map((r) => (typeof r.event === 'string' ? (JSON.parse(r.event) as CloudEvent) : r.event).time);
    expect(times).toEqual([first.storedAt, first.storedAt]);
    expect(first.storedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // A re-store: the row keeps req-1 and its time; events are built from those.
    const seen: Array<{ id: string; storedAt: string }> = [];
    const again = await store.upsertArticle(input('req-2', [entity('RU', 'Russia', 5), entity('UA', 'Ukraine', 1)]), (w) => {
      seen.push(w);
      return events(w, 1);
    });
    expect(again).toEqual(first);
    expect(seen.at(-1)).toEqual(first);

    const { rows: ents } = await db.query<{ entity_id: string; mentions: number }>(
      "SELECT entity_id, mentions FROM article_entities WHERE article_id = 'req-1' ORDER BY entity_id",
    );
    expect(ents).toEqual([
      { entity_id: 'RU', mentions: 5 },
      { entity_id: 'UA', mentions: 1 },
    ]);
    const { rows: items } = await db.query<{ topic: string }>("SELECT topic FROM newsletter_items WHERE article_id = 'req-1'");
    expect(items).toEqual([{ topic: 'asia' }]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles')).rows[0]!.n).toBe(1);
  });

  it('queues the events in the order given, each once', async () => {
    // Ids run backwards (…-ev-z, …-ev-y) so an order by id alone would reverse them.
    const { rows } = await db.query<{ id: string }>('SELECT id FROM outbox ORDER BY created_at, id');
    expect(rows.map((r) => r.id)).toEqual(['req-1-ev-z', 'req-1-ev-y']);
    await store.upsertArticle(input('req-3', []), (w) => events(w, 2));
    const { rows: after } = await db.query<{ id: string }>('SELECT id FROM outbox ORDER BY created_at, id');
    expect(after.map((r) => r.id)).toEqual(['req-1-ev-z', 'req-1-ev-y']);
    const { rows: ents } = await db.query("SELECT 1 FROM article_entities WHERE article_id = 'req-1'");
    expect(ents).toHaveLength(0);
  });

  it('writes articles submitted together in one statement, each with its own entities and events', async () => {
    const many = ['alpha', 'beta', 'gamma', 'delta'].map((name, i) => ({
      ...input(`batch-${name}`, [entity(['CN', 'RU', 'UA', 'IN'][i]!, name, i + 1)]),
      url: `https://port.example/${name}`,
      canonicalUrl: `https://port.example/${name}`,
      finalUrl: `https://port.example/${name}`,
    }));
    const written = await Promise.all(many.map((a) => store.upsertArticle(a, (w) => events(w, 1))));
    expect(written.map((w) => w.id)).toEqual(many.map((a) => a.id));
    // One statement, one transaction: one time for all four.
    expect(new Set(written.map((w) => w.storedAt)).size).toBe(1);
    const { rows } = await db.query<{ article_id: string; entity_id: string }>(
      "SELECT article_id, entity_id FROM article_entities WHERE article_id LIKE 'batch-%' ORDER BY article_id",
    );
    expect(rows).toEqual([
      { article_id: 'batch-alpha', entity_id: 'CN' },
      { article_id: 'batch-beta', entity_id: 'RU' },
      { article_id: 'batch-delta', entity_id: 'IN' },
      { article_id: 'batch-gamma', entity_id: 'UA' },
    ]);
    const { rows: queued } = await db.query<{ id: string }>("SELECT id FROM outbox WHERE id LIKE 'batch-%' ORDER BY created_at, id");
    expect(queued.map((r) => r.id)).toEqual(many.map((a) => `${a.id}-ev-z`));
  });

  it('stores the others when the database refuses one article of a batch, and updates a URL written twice at once', async () => {
    const at = (name: string, id: string) => ({
      ...input(id, []),
      url: `https://port.example/${name}`,
      canonicalUrl: `https://port.example/${name}`,
      finalUrl: `https://port.example/${name}`,
    });
    const bad = at('broken', 'mixed-bad');
    bad.article = { ...bad.article, title: 'a NUL \u0000 PostgreSQL cannot hold' };
    const results = await Promise.allSettled([
      store.upsertArticle(at('first', 'mixed-1'), (w) => events(w, 1)),
      store.upsertArticle(bad, (w) => events(w, 1)),
      store.upsertArticle(at('first', 'mixed-1-again'), (w) => events(w, 1)),
      store.upsertArticle(at('second', 'mixed-2'), (w) => events(w, 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // The two writes of /first went in separate statements: whichever ran first made the row and
    // the other updated it, keeping that id (the two were in flight at once, so either may win).
    const ids = results.map((r) => (r.status === 'fulfilled' ? r.value.id : null));
    expect(['mixed-1', 'mixed-1-again']).toContain(ids[0]);
    expect(ids).toEqual([ids[0], null, ids[0], 'mixed-2']);
    const { rows } = await db.query<{ id: string }>("SELECT id FROM articles WHERE id LIKE 'mixed-%' ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual([ids[0], 'mixed-2'].sort());
    const { rows: queued } = await db.query<{ id: string }>("SELECT id FROM outbox WHERE id LIKE 'mixed-%' ORDER BY id");
    expect(queued.map((r) => r.id)).toEqual([`${ids[0]}-ev-z`, 'mixed-2-ev-z'].sort());
  });

  it('parses each search in the language of the articles it matches, so no word is another language’s stopword', async () => {
    const store = new SqlArticleStore(db);
    const article = (id: string, language: string, title: string, body: string): NewArticle => ({
      ...input(id, []),
      url: `https://search.example/${id}`,
      canonicalUrl: `https://search.example/${id}`,
      finalUrl: `https://search.example/${id}`,
      contentHash: id.padEnd(64, 'a'),
      article: { ...input(id, []).article, title, body, language },
    });
    const write = (a: NewArticle) => store.upsertArticle(a, () => []);
    await write(article('sea-japan', 'en', 'Warships in the Sea of Japan', 'Destroyers crossed the sea near the islands on Monday.'));
    await write(article('black-sea', 'en', 'Grain ships cross the Black Sea', 'Cargo ships left port as the sea corridor reopened.'));
    await write(article('hafen', 'de', 'Neue Kräne im Hafen', 'Der Hafen hat seine ältesten Kräne am Wochenende ersetzt.'));
    await write(article('gaz', 'ru', 'Поставки газа в Китай', 'Россия увеличила поставки газа в Китай по новому трубопроводу.'));
    const ids = async (text: string) =>
      (await store.search({ text, limit: 10 }))
        .map((r) => r.id)
        .filter((id) => !id.startsWith('req-'))
        .sort();
    expect(await ids('sea')).toEqual(['black-sea', 'sea-japan']);
    expect(await ids('sea -japan')).toEqual(['black-sea']);
    expect(await ids('"black sea"')).toEqual(['black-sea']);
    expect(await ids('"sea black"')).toEqual([]);
    // German and Russian words found in their stemmed forms.
    expect(await ids('Kran')).toEqual(['hafen']);
    expect(await ids('газ')).toEqual(['gaz']);
  });
});
