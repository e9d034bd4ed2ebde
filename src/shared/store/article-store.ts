// Articles and sightings in SQL. Writes are keyed on the canonical URL (articles) and the
// request id (sightings), so a retried job never creates a second row.
import type { Article } from '../extract/article.js';
import type { EntityMention } from '../tag/entity.js';
import type { CloudEvent } from '../events/cloud-event.js';
import type { Database } from './database.js';
import { WriteBatcher, type WriteBatcherOptions } from './write-batcher.js';
import { PermanentError, RetryableError, describeError } from '../errors.js';
import { enqueueEvents, insertIntoOutbox } from './outbox.js';

export interface NewArticle {
  /** The request id of the submission that found it first. */
  id: string;
  url: string;
  canonicalUrl: string;
  /** The page's declared canonical when it was refused (another site's); null otherwise. */
  refusedCanonical?: string | null;
  finalUrl: string;
  article: Article;
  contentHash: string;
  fetchedAt: string;
  entities: EntityMention[];
  countries: string[];
  focus: string[];
  /** Newsletter topics the article joins (their items are written in the same transaction). */
  topics?: string[];
}

export interface NewSighting {
  id: string;
  articleId: string;
  url: string;
  finalUrl: string;
  method: 'url' | 'exact' | 'near';
  similarity: number;
}

export interface EntitySummary {
  id: string;
  qid: string | null;
  type: string;
  name: string;
  count: number;
  salience: number;
}

/** A stored article: the extracted fields, keyed and dated, with its entities. */
export interface ArticleRecord extends Omit<Article, 'canonicalUrl'> {
  id: string;
  url: string;
  /** The URL the record is keyed on (the page's canonical, normalised). */
  canonicalUrl: string;
  /** The page's declared canonical when it was not believed (another site's): the record keeps the fetched URL. */
  refusedCanonical: string | null;
  finalUrl: string;
  contentHash: string;
  fetchedAt: string;
  storedAt: string;
  entities: EntitySummary[];
  countries: string[];
  focus: string[];
}

/** Builds the events announcing a write, from what the write returned. */
export type EventFor<T> = (written: T) => CloudEvent[];

export interface ArticleStore {
  /**
   * Insert or update by canonical URL, and queue the event announcing it in the outbox, in one
   * transaction. Returns the id the record has (the first writer's).
   */
  upsertArticle(input: NewArticle, eventFor: EventFor<{ id: string; storedAt: string }>): Promise<{ id: string; storedAt: string }>;
  /** Record a copy and queue its event; false when the canonical article is not (yet) stored. */
  recordSighting(input: NewSighting, event: CloudEvent): Promise<boolean>;
  getById(id: string): Promise<ArticleRecord | null>;
  getByUrl(url: string): Promise<ArticleRecord | null>;
  list(options?: { limit?: number }): Promise<ArticleRecord[]>;
  /** Full-text search, each article's words parsed in its own language; optionally by entity and date; best matches first. */
  search(query: ArticleSearch): Promise<Array<ArticleRecord & { rank: number }>>;
}

export interface ArticleSearch {
  /** Words, "quoted phrases", -excluded words (web-search syntax). Empty: no text condition. */
  text?: string;
  /** Only articles tagged with this entity id (e.g. RU, person:vladimir-putin). */
  entity?: string;
  /** Published (or, without a date, stored) on or after / before these times. */
  since?: string;
  until?: string;
  /** @defaultValue 20 */
  limit?: number;
  /** @defaultValue 0 */
  offset?: number;
}

/**
 * The text-search configuration of an article's language — the one its `search` column was built
 * with (migrations 005 and 010) — so a query is parsed as the article's words were: a word that is
 * a stopword in another language ("sea" in Spanish) is never dropped from an English search.
 */
const ARTICLE_CONFIG = `CASE a.language
  WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
  WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
  WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END`;

const json = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);
/** Stands for the database's stored_at in events built before the row is written. */
const STORED_AT_PLACEHOLDER = '{{newsline:stored_at}}';

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

interface ArticleRow {
  id: string;
  url: string;
  canonical_url: string;
  refused_canonical: string | null;
  final_url: string;
  title: string | null;
  authors: string[] | string;
  published_at: unknown;
  modified_at: unknown;
  description: string | null;
  language: string | null;
  site_name: string | null;
  image: string | null;
  section: string | null;
  tags: string[] | string;
  is_accessible_for_free: boolean | null;
  body: string;
  word_count: number;
  content_hash: string;
  fetched_at: unknown;
  stored_at: unknown;
  countries: string[] | string;
  focus: string[] | string;
}

/**
 * Articles, each with its entity set, its newsletter items and — when its row is new — its events, in
 * one statement: $1 a JSON array of rows (the article's columns, `entities`, `topics`, `events` and
 * its position `n`), $2 the stored_at placeholder. Rows are written in canonical-URL order, so two
 * batches that share URLs lock them in the same order (no deadlock).
 */
const UPSERT_ARTICLES = `WITH input AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, url text, canonical_url text, final_url text, title text,
       authors jsonb, published_at timestamptz, modified_at timestamptz, description text, language text, site_name text,
       image text, body text, word_count integer, content_hash text, fetched_at timestamptz, section text, tags jsonb,
       is_accessible_for_free boolean, countries jsonb, focus jsonb, refused_canonical text, entities jsonb, topics jsonb, events jsonb,
       n integer)
   ),
   a AS (
     INSERT INTO articles (id, url, canonical_url, final_url, title, authors, published_at, modified_at,
       description, language, site_name, image, body, word_count, content_hash, fetched_at,
       section, tags, is_accessible_for_free, countries, focus, refused_canonical, stored_at)
     SELECT id, url, canonical_url, final_url, title, authors, published_at, modified_at,
       description, language, site_name, image, body, word_count, content_hash, fetched_at,
       section, tags, is_accessible_for_free, countries, focus, refused_canonical, date_trunc('milliseconds', now())
     FROM input ORDER BY canonical_url
     ON CONFLICT (canonical_url) DO UPDATE SET
       final_url = EXCLUDED.final_url, title = EXCLUDED.title, authors = EXCLUDED.authors,
       published_at = EXCLUDED.published_at, modified_at = EXCLUDED.modified_at,
       description = EXCLUDED.description, language = EXCLUDED.language, site_name = EXCLUDED.site_name,
       image = EXCLUDED.image, body = EXCLUDED.body, word_count = EXCLUDED.word_count,
       content_hash = EXCLUDED.content_hash, fetched_at = EXCLUDED.fetched_at, section = EXCLUDED.section,
       tags = EXCLUDED.tags, is_accessible_for_free = EXCLUDED.is_accessible_for_free,
       countries = EXCLUDED.countries, focus = EXCLUDED.focus, refused_canonical = EXCLUDED.refused_canonical
     RETURNING id, canonical_url, stored_at, (xmax = 0) AS inserted
   ),
   w AS (SELECT a.id, a.stored_at, a.inserted, i.entities, i.topics, i.events, i.n FROM a JOIN input i USING (canonical_url)),
   e AS (
     SELECT w.id AS article_id, x.id AS entity_id, x.qid, x.type, x.name, x.mentions, x."firstOffset", x.salience
     FROM w, jsonb_to_recordset(w.entities)
       AS x(id text, qid text, type text, name text, mentions integer, "firstOffset" integer, salience real)
   ),
   gone AS (
     DELETE FROM article_entities d USING w WHERE d.article_id = w.id
       AND NOT EXISTS (SELECT 1 FROM e WHERE e.article_id = d.article_id AND e.entity_id = d.entity_id)
   ),
   put AS (
     INSERT INTO article_entities (article_id, entity_id, qid, type, name, mentions, first_offset, salience)
     SELECT article_id, entity_id, qid, type, name, mentions, "firstOffset", salience FROM e
     ON CONFLICT (article_id, entity_id) DO UPDATE SET qid = EXCLUDED.qid, type = EXCLUDED.type, name = EXCLUDED.name,
       mentions = EXCLUDED.mentions, first_offset = EXCLUDED.first_offset, salience = EXCLUDED.salience
   ),
   listed AS (
     INSERT INTO newsletter_items (topic, article_id)
     SELECT topic, w.id FROM w, jsonb_array_elements_text(w.topics) AS topic
     ON CONFLICT DO NOTHING
   ),
   announced AS (
     ${insertIntoOutbox(`SELECT replace(y.ev::text, $2, to_char(w.stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::jsonb,
         row_number() OVER (ORDER BY w.n, y.k)
       FROM w, jsonb_array_elements(w.events) WITH ORDINALITY AS y(ev, k) WHERE w.inserted`)}
   )
   SELECT id, stored_at, inserted, n FROM w`;

/** A copy's sighting of a stored article ($1–$6) and, when the article is there, its event ($7). */
const RECORD_SIGHTING = `WITH s AS (
     INSERT INTO sightings (id, article_id, url, final_url, method, similarity)
     SELECT $1, id, $3, $4, $5, $6 FROM articles WHERE id = $2
     ON CONFLICT (id) DO UPDATE SET article_id = EXCLUDED.article_id
     RETURNING id
   ),
   canonical AS (
     -- The copy's event carries what the canonical article is about, so entity subscriptions receive it.
     SELECT jsonb_build_object(
       'entities', coalesce((SELECT jsonb_agg(jsonb_build_object('id', e.entity_id, 'type', e.type, 'name', e.name,
           'count', e.mentions, 'salience', e.salience) ORDER BY e.salience DESC, e.entity_id)
         FROM article_entities e WHERE e.article_id = a.id), '[]'::jsonb),
       'countries', a.countries, 'focus', a.focus) AS about
     FROM articles a WHERE a.id = $2
   ),
   announced AS (
     ${insertIntoOutbox(`SELECT jsonb_set($7::jsonb, '{data}', ($7::jsonb -> 'data') || canonical.about), 1 FROM s, canonical`)}
   )
   SELECT id FROM s`;

interface ArticleWrite {
  input: NewArticle;
  /** Its events, built before the row has its time (see STORED_AT_PLACEHOLDER). */
  events: CloudEvent[];
}

type Written = { id: string; stored_at: unknown; inserted: boolean };

/** One element of UPSERT_ARTICLES' $1. */
function articleRow({ input, events }: ArticleWrite, n: number) {
  const a = input.article;
  return {
    id: input.id,
    url: input.url,
    canonical_url: input.canonicalUrl,
    final_url: input.finalUrl,
    title: a.title,
    authors: a.authors,
    published_at: a.publishedAt,
    modified_at: a.modifiedAt,
    description: a.description,
    language: a.language,
    site_name: a.siteName,
    image: a.image,
    body: a.body,
    word_count: a.wordCount,
    content_hash: input.contentHash,
    fetched_at: input.fetchedAt,
    section: a.section,
    tags: a.tags,
    is_accessible_for_free: a.isAccessibleForFree,
    countries: input.countries,
    focus: input.focus,
    refused_canonical: input.refusedCanonical ?? null,
    entities: input.entities,
    topics: input.topics ?? [],
    events,
    n,
  };
}

export interface SqlArticleStoreOptions {
  /** How article writes are gathered into statements (default: 16 at most, those of one event-loop turn). */
  batch?: WriteBatcherOptions;
}

export class SqlArticleStore implements ArticleStore {
  private readonly writes: WriteBatcher<ArticleWrite, Written>;

  constructor(
    private readonly db: Database,
    options: SqlArticleStoreOptions = {},
  ) {
    this.writes = new WriteBatcher(
      (w) => this.writeArticles(w),
      (w) => w.input.canonicalUrl,
      options.batch,
    );
  }

  async upsertArticle(input: NewArticle, eventFor: EventFor<{ id: string; storedAt: string }>): Promise<{ id: string; storedAt: string }> {
    // One statement writes the row, its entity set, its newsletter items and — when the row is new,
    // so its id is ours — its events, with the time the database stamps filled in: atomic without
    // BEGIN/COMMIT, and shared with the other writes gathered meanwhile. A re-store keeps the first
    // writer's id and time, so its events are built from what the statement returns and queued by a
    // second statement; should the process die between the two, the job runs again and queues them
    // then (event ids are stable).
    const row = await this.writes.submit({ input, events: eventFor({ id: input.id, storedAt: STORED_AT_PLACEHOLDER }) });
    const written = { id: row.id, storedAt: iso(row.stored_at)! };
    if (!row.inserted) await enqueueEvents(this.db, eventFor(written));
    return written;
  }

  private async writeArticles(writes: ArticleWrite[]): Promise<Array<Written | Error>> {
    let rows: Array<Written & { n: number }>;
    try {
      ({ rows } = await this.db.query<Written & { n: number }>(UPSERT_ARTICLES, [
        JSON.stringify(writes.map(articleRow)),
        STORED_AT_PLACEHOLDER,
      ]));
    } catch (err) {
      // A batch is written again article by article; an article the database refuses alone for
      // its content will be refused every time.
      if (writes.length === 1 && refusesContent(err)) {
        throw new PermanentError(
          'invalid_content',
          `the database refused the article ${writes[0]!.input.canonicalUrl}: ${describeError(err)}`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    const byPosition = new Map(rows.map((r) => [Number(r.n), r]));
    return writes.map(
      (_, n) =>
        byPosition.get(n) ?? new RetryableError('store_no_row', `the article write for ${writes[n]!.input.canonicalUrl} returned no row`),
    );
  }

  async recordSighting(s: NewSighting, event: CloudEvent): Promise<boolean> {
    // The sighting and its event in one statement (atomic, one round trip); nothing is written when
    // the article it repeats is not stored.
    const { rows } = await this.db.query<{ id: string }>(RECORD_SIGHTING, [
      s.id,
      s.articleId,
      s.url,
      s.finalUrl,
      s.method,
      s.similarity,
      JSON.stringify(event),
    ]);
    return rows.length > 0;
  }

  async getById(id: string): Promise<ArticleRecord | null> {
    return (await this.select('WHERE a.id = $1', [id]))[0] ?? null;
  }

  async getByUrl(url: string): Promise<ArticleRecord | null> {
    return (await this.select('WHERE a.canonical_url = $1 OR a.url = $1 OR a.final_url = $1 LIMIT 1', [url]))[0] ?? null;
  }

  async list(options: { limit?: number } = {}): Promise<ArticleRecord[]> {
    return this.select('ORDER BY a.stored_at DESC, a.id LIMIT $1', [options.limit ?? 20]);
  }

  async search(q: ArticleSearch): Promise<Array<ArticleRecord & { rank: number }>> {
    const params: unknown[] = [];
    const where: string[] = [];
    let rank = '0';
    if (q.text?.trim()) {
      params.push(q.text);
      const tsquery = `websearch_to_tsquery(${ARTICLE_CONFIG}, $${params.length})`;
      where.push(`a.search @@ (${tsquery})`);
      rank = `ts_rank(a.search, ${tsquery})`;
    }
    if (q.entity) {
      params.push(q.entity);
      where.push(`EXISTS (SELECT 1 FROM article_entities e WHERE e.article_id = a.id AND e.entity_id = $${params.length})`);
    }
    if (q.since) {
      params.push(q.since);
      where.push(`coalesce(a.published_at, a.stored_at) >= $${params.length}`);
    }
    if (q.until) {
      params.push(q.until);
      where.push(`coalesce(a.published_at, a.stored_at) < $${params.length}`);
    }
    params.push(q.limit ?? 20, q.offset ?? 0);
    const sql = `SELECT a.*, ${rank} AS rank FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY rank DESC, coalesce(a.published_at, a.stored_at) DESC, a.id LIMIT $${params.length - 1} OFFSET $${params.length}`;
    const records = await this.select('', params, sql);
    return records as Array<ArticleRecord & { rank: number }>;
  }

  private async select(where: string, params: unknown[], fullSql?: string): Promise<ArticleRecord[]> {
    const { rows } = await this.db.query<ArticleRow & { rank?: number }>(fullSql ?? `SELECT a.* FROM articles a ${where}`, params);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const entities = await this.db.query<{
      article_id: string;
      entity_id: string;
      qid: string | null;
      type: string;
      name: string;
      mentions: number;
      salience: number;
    }>(
      `SELECT article_id, entity_id, qid, type, name, mentions, salience FROM article_entities
       WHERE article_id = ANY($1) ORDER BY salience DESC, mentions DESC, first_offset`,
      [ids],
    );
    const byArticle = new Map<string, EntitySummary[]>();
    for (const e of entities.rows) {
      const list = byArticle.get(e.article_id) ?? [];
      list.push({ id: e.entity_id, qid: e.qid, type: e.type, name: e.name, count: Number(e.mentions), salience: Number(e.salience) });
      byArticle.set(e.article_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      canonicalUrl: r.canonical_url,
      refusedCanonical: r.refused_canonical ?? null,
      finalUrl: r.final_url,
      title: r.title,
      authors: json(r.authors),
      publishedAt: iso(r.published_at),
      modifiedAt: iso(r.modified_at),
      description: r.description,
      language: r.language,
      siteName: r.site_name,
      image: r.image,
      section: r.section,
      tags: json(r.tags),
      isAccessibleForFree: r.is_accessible_for_free,
      body: r.body,
      wordCount: Number(r.word_count),
      contentHash: r.content_hash,
      fetchedAt: iso(r.fetched_at)!,
      storedAt: iso(r.stored_at)!,
      entities: byArticle.get(r.id) ?? [],
      countries: json(r.countries),
      focus: json(r.focus),
      ...(r.rank !== undefined ? { rank: Math.round(Number(r.rank) * 10_000) / 10_000 } : {}),
    }));
  }
}

/**
 * Whether PostgreSQL refused a statement for what it holds rather than for the state of the
 * server: class 22 (data exception: a NUL, an unencodable character, a value out of range) and
 * 54000 (a program limit, such as a tsvector over 1 MB).
 */
function refusesContent(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54000');
}
