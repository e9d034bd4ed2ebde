// Nothing a page or an imported document holds can make its record unstorable: NUL bytes and
// binary garbage are cleaned out, oversized fields are capped, a body of millions of distinct
// words still fits the search vector, and what the database refuses anyway fails once, for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/shared/errors.js';
import { articleFromText } from '../../src/shared/extract/article.js';
import { SqlArticleStore } from '../../src/shared/store/article-store.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { ARTICLE_LIMITS } from '../../src/shared/store/limits.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { storesUnderTest } from '../helpers/postgres.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { articleHtml, html, startTestServer, type TestServer } from '../helpers/test-server.js';

/** `n` distinct made-up words: no stemmer folds two of them together. */
function distinctWords(n: number): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let k = i; w.length < 4 || k > 0; k = Math.floor(k / 20)) w += letters[k % 20];
    words.push(`${w}o${i}`);
  }
  return words.join(' ');
}

for (const store of await storesUnderTest('the store limits tests')) {
  describe(`store limits (${store.name})`, () => {
    let site: TestServer;
    let db: Database;
    let drop: () => Promise<void>;
    let t: TestPipeline;

    beforeAll(async () => {
      site = await startTestServer();
      ({ db, drop } = await store.open());
      t = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0', NEWSLINE_JOB_ATTEMPTS: '5' });
    });

    afterAll(async () => {
      await t?.close();
      await db?.close();
      await drop?.();
      await site?.close();
    });

    const row = async (id: string) =>
      (
        await db.query<{ title: string; body: string; word_count: number }>('SELECT title, body, word_count FROM articles WHERE id = $1', [
          id,
        ])
      ).rows[0]!;

    it('stores a page with NUL bytes in its title and text, without them', async () => {
      const page = articleHtml('Harbour\u0000 pilots strike over night shifts', {
        paragraphs: [
          'Harbour pilots in the northern port walked out at midnight\u0000 over a new rota for night shifts, their union said.',
          'Ships waiting to enter the port were told to anchor offshore\u0000\u0000 until the pilots return to work on Thursday morning.',
          'The port authority said talks with the union would resume in the afternoon and that no cargo had been diverted yet.',
        ],
      });
      site.route('/news/pilots', html(page));
      const [outcome] = await t.run([`${site.origin}/news/pilots`]);
      expect(outcome).toMatchObject({ outcome: 'stored' });
      const stored = await row(outcome!.articleId!);
      expect(stored.title).toBe('Harbour pilots strike over night shifts');
      expect(stored.body).toContain('walked out at midnight over a new rota');
      expect(stored.body).not.toContain('\u0000');
    });

    it('stores binary garbage served as text/html, or skips it — never retries it', async () => {
      const garbage = Buffer.alloc(64 * 1024);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
      const text = `<html><body><p>${'Readable words about the tide tables and the ferry crossing times this week. '.repeat(5)}</p>`;
      site.route('/news/garbage', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(Buffer.concat([Buffer.from(text), garbage, Buffer.from('</body></html>')]));
      });
      const [outcome] = await t.run([`${site.origin}/news/garbage`]);
      expect(['stored', 'skipped']).toContain(outcome!.outcome);
      if (outcome!.outcome === 'stored') expect((await row(outcome!.articleId!)).body.includes('\u0000')).toBe(false);
    });

    it('caps a 1 MB title, and the event announcing the article stays small', async () => {
      const page = articleHtml(`Ferry strike ${'and a very long headline '.repeat(42_000)}`, {
        paragraphs: [
          'Ferry crews on the island routes stopped work at dawn after talks over the winter timetable broke down.',
          'The operator said it would run a reduced service for passengers with medical appointments on the mainland.',
          'Union officials said the strike would last until Friday unless the operator withdrew the new shift pattern.',
        ],
      });
      expect(page.length).toBeGreaterThan(2_000_000);
      site.route('/news/long-title', html(page));
      const [outcome] = await t.run([`${site.origin}/news/long-title`]);
      expect(outcome).toMatchObject({ outcome: 'stored' });
      expect((await row(outcome!.articleId!)).title.length).toBeLessThanOrEqual(ARTICLE_LIMITS.title);
      const event = await db.query<{ size: number }>(`SELECT length(event::text) AS size FROM outbox WHERE event->>'subject' = $1`, [
        outcome!.articleId,
      ]);
      expect(Number(event.rows[0]!.size)).toBeLessThan(20_000);
    });

    it('caps a 3 MB body of distinct words, and the article can still be found', async () => {
      const words = distinctWords(400_000);
      expect(words.length).toBeGreaterThan(3_000_000);
      const paragraphs = [
        'Storm warning for the coast: the port closes its outer basin tonight. '.repeat(3),
        ...words.match(/.{1,5000}(\s|$)/g)!,
      ];
      site.route('/news/long', html(articleHtml('Storm warning for the coast', { paragraphs })));
      const [outcome] = await t.run([`${site.origin}/news/long`], 60_000);
      expect(outcome).toMatchObject({ outcome: 'stored' });
      const stored = await row(outcome!.articleId!);
      expect(stored.body.length).toBeLessThanOrEqual(ARTICLE_LIMITS.body);
      expect(stored.body.length).toBeGreaterThan(ARTICLE_LIMITS.body / 2);
      const found = await db.query<{ id: string }>(`SELECT id FROM articles WHERE search @@ plainto_tsquery('simple', 'basin')`);
      expect(found.rows.map((r) => r.id)).toContain(outcome!.articleId);
    }, 90_000);

    it('fails an article the database refuses once, as invalid_content, not five times', async () => {
      const plain = await openPglite(null);
      try {
        await migrate(plain);
        const direct = new SqlArticleStore(plain);
        const write = direct.upsertArticle(
          {
            id: 'nul-1',
            url: 'https://port.example/nul',
            canonicalUrl: 'https://port.example/nul',
            finalUrl: 'https://port.example/nul',
            article: articleFromText({
              title: 'A title with a NUL \u0000 the store was handed directly',
              body: 'Body text.',
              language: 'en',
            }),
            contentHash: 'f'.repeat(64),
            fetchedAt: new Date().toISOString(),
            entities: [],
            countries: [],
            focus: [],
          },
          () => [],
        );
        await expect(write).rejects.toBeInstanceOf(PermanentError);
        await expect(write).rejects.toMatchObject({ code: 'invalid_content' });
      } finally {
        await plain.close();
      }
    });
  });
}
