// A topic's digest: the articles it collected since its last digest, ranked, rendered as plain
// text and HTML, and announced as `news.newsletter.digest` — all in one transaction, so no article
// is in two digests of a topic. An empty period sends nothing.
import { cloudEvent, stableEventId, type CloudEvent } from '../events/cloud-event.js';
import type { Database } from '../store/database.js';
import { enqueueEvents } from '../store/outbox.js';
import { settingDefault } from '../settings.js';
import { renderDigestHtml, renderDigestText } from './render-digest.js';
import type { Topic } from './topics.js';

export interface DigestItem {
  articleId: string;
  title: string | null;
  url: string;
  siteName: string | null;
  publishedAt: string | null;
  summary: string | null;
  focus: string[];
  entities: string[];
  /** The most salient people, by name. */
  people: string[];
  /** The lead image, when the article has one. */
  image: string | null;
}

export interface DigestOptions {
  now: Date;
  source: string;
  schemaBase: string;
  /** The publication's name, at the top of every digest. @defaultValue NEWSLINE_PUBLICATION_NAME */
  publication?: string;
  /** Render the next digest from what is stored without compiling it (nothing written, no event). */
  preview?: boolean;
}

export interface Digest {
  id: string;
  topic: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  items: DigestItem[];
  /** Every entity id of its items, and every country they are about. */
  entities: string[];
  countries: string[];
  text: string;
  html: string;
}

/**
 * Rank: articles whose focus holds more of the topic's entities first, then the most recent.
 * Copies never appear (only canonical articles join topics); two records of one URL collapse.
 */
function rank(items: Array<DigestItem & { addedAt: string }>, topic: Topic): DigestItem[] {
  const wanted = new Set([...topic.allOf, ...topic.anyOf]);
  const score = (i: DigestItem) => i.focus.filter((c) => wanted.has(c)).length;
  const sorted = [...items].sort(
    (a, b) =>
      score(b) - score(a) ||
      (b.publishedAt ?? b.addedAt).localeCompare(a.publishedAt ?? a.addedAt) ||
      a.articleId.localeCompare(b.articleId),
  );
  const seen = new Set<string>();
  return sorted.filter((i) => !seen.has(i.url) && seen.add(i.url)).map(({ addedAt: _a, ...item }) => item as DigestItem);
}

export async function compileDigest(db: Database, topic: Topic, options: DigestOptions): Promise<Digest | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      article_id: string;
      added_at: unknown;
      title: string | null;
      canonical_url: string;
      published_at: unknown;
      description: string | null;
      focus: string[] | string;
      entity_ids: string[] | null;
      people: string[] | null;
      site_name: string | null;
      image: string | null;
    }>(
      `SELECT i.article_id, i.created_at AS added_at, a.title, a.canonical_url, a.published_at, a.description, a.focus,
              a.site_name, a.image,
              (SELECT array_agg(e.entity_id ORDER BY e.salience DESC) FROM article_entities e WHERE e.article_id = a.id) AS entity_ids,
              (SELECT array_agg(e.name ORDER BY e.salience DESC) FROM article_entities e WHERE e.article_id = a.id AND e.type = 'person') AS people
       FROM newsletter_items i JOIN articles a ON a.id = i.article_id
       WHERE i.topic = $1 AND i.digest_id IS NULL AND i.created_at <= $2
       ORDER BY i.created_at
       ${options.preview ? '' : 'FOR UPDATE OF i'}`,
      [topic.name, options.now.toISOString()],
    );
    if (rows.length === 0) return null;
    const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
    const items = rank(
      rows.map((r) => ({
        articleId: r.article_id,
        addedAt: iso(r.added_at)!,
        title: r.title,
        url: r.canonical_url,
        siteName: r.site_name,
        publishedAt: iso(r.published_at),
        summary: r.description,
        focus: typeof r.focus === 'string' ? (JSON.parse(r.focus) as string[]) : r.focus,
        entities: (r.entity_ids ?? []).slice(0, 10),
        people: (r.people ?? []).slice(0, 3),
        image: r.image,
      })),
      topic,
    );
    // The period runs on from the topic's previous digest; the first one's from its first item.
    const previous = await tx.query<{ period_end: unknown }>(
      'SELECT max(period_end) AS period_end FROM newsletter_digests WHERE topic = $1',
      [topic.name],
    );
    const periodStart = iso(previous.rows[0]?.period_end) ?? iso(rows[0]!.added_at)!;
    const periodEnd = options.now.toISOString();
    const id = stableEventId('news.newsletter.digest', topic.name, ...rows.map((r) => r.article_id).sort());
    const topicTitle = topic.title ?? topic.name;
    const title = `${topicTitle}: ${periodEnd.slice(0, 10)}`;
    const view = {
      publication: options.publication ?? settingDefault('NEWSLINE_PUBLICATION_NAME'),
      title: topicTitle,
      periodStart,
      periodEnd,
      items,
    };
    // Entity subscriptions and topics see a digest as about everything its items are about.
    const entities = [...new Set(items.flatMap((i) => i.entities))];
    const countries = [...new Set(items.flatMap((i) => i.focus))];
    const digest: Digest = {
      id,
      topic: topic.name,
      title,
      periodStart,
      periodEnd,
      items,
      entities,
      countries,
      text: renderDigestText(view),
      html: await renderDigestHtml(view),
    };
    if (options.preview) return digest;
    await tx.query(
      `INSERT INTO newsletter_digests (id, topic, period_start, period_end, item_count) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [id, topic.name, periodStart, periodEnd, items.length],
    );
    await tx.query('UPDATE newsletter_items SET digest_id = $1 WHERE topic = $2 AND article_id = ANY($3)', [
      id,
      topic.name,
      rows.map((r) => r.article_id),
    ]);
    const event: CloudEvent = cloudEvent({
      id,
      source: options.source,
      schemaBase: options.schemaBase,
      type: 'news.newsletter.digest',
      subject: topic.name,
      time: periodEnd,
      data: digest,
    });
    await enqueueEvents(tx, [event]);
    return digest;
  });
}
