// Copies through the whole chain on real Redis: syndicated rewrites and spun copies become
// sightings of one canonical, a different story on the same topic does not, concurrent copies
// agree on one canonical, and a URL seen before is not fetched again.
import { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { bodyOf, differentStory, original, pageOf, spun, syndicated } from '../fixtures/copies.js';
import { startTestPipeline, waitForEvents, type TestPipeline } from '../helpers/pipeline.js';
import { html, startTestServer, type TestServer } from '../helpers/test-server.js';

describe('deduplication through the pipeline', () => {
  let site: TestServer;
  let db: Database;
  let t: TestPipeline;

  beforeAll(async () => {
    site = await startTestServer();
    site.route('/news/grain-corridor', html(pageOf(original, 'The Daily Meridian')));
    site.route('/wire/russia-china-grain', html(pageOf(syndicated, 'Northgate Wire')));
    site.route('/blog/cereal-passageway', html(pageOf(spun, 'Content Farm Daily')));
    site.route('/news/wheat-exports-slow', html(pageOf(differentStory, 'The Daily Meridian')));
    db = await openPglite(null);
    t = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await site?.close();
  });

  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n);

  it('files a syndicated rewrite and a spun copy as near-duplicates of the original, and keeps a different story', async () => {
    const [first] = await t.run([`${site.origin}/news/grain-corridor`]);
    expect(first).toMatchObject({ outcome: 'stored' });
    const [wire, spunCopy, other] = await t.run([
      `${site.origin}/wire/russia-china-grain`,
      `${site.origin}/blog/cereal-passageway`,
      `${site.origin}/news/wheat-exports-slow`,
    ]);
    expect(wire).toMatchObject({ outcome: 'duplicate', method: 'near', duplicateOf: first!.articleId });
    expect(spunCopy).toMatchObject({ outcome: 'duplicate', method: 'near', duplicateOf: first!.articleId });
    expect(spunCopy!.similarity).toBeGreaterThan(0.5);
    expect(other).toMatchObject({ outcome: 'stored' });

    expect(await count('SELECT count(*)::int AS n FROM articles')).toBe(2);
    const sightings = await db.query<{ article_id: string; method: string; similarity: number }>(
      'SELECT article_id, method, similarity FROM sightings ORDER BY similarity',
    );
    expect(sightings.rows.map((r) => [r.article_id, r.method])).toEqual([
      [first!.articleId, 'near'],
      [first!.articleId, 'near'],
    ]);

    // Copies never produce a second "stored" event: two stored, two duplicate.
    const events = await waitForEvents(t, 4);
    expect(
      events
        .filter((e) => e.type === 'news.article.stored')
        .map((e) => e.subject)
        .sort(),
    ).toEqual([first!.articleId, other!.articleId].sort());
    const duplicates = events.filter((e) => e.type === 'news.article.duplicate');
    expect(duplicates).toHaveLength(2);
    for (const d of duplicates) {
      expect(new CloudEvent(d as never, true).validate()).toBe(true);
      expect(d).toMatchObject({ subject: first!.articleId, data: { duplicateOf: first!.articleId, method: 'near' } });
    }
  });

  it('does not fetch a URL seen before again (no validators to make it conditional)', async () => {
    const before = site.hits('/news/grain-corridor');
    const [again] = await t.run([`${site.origin}/news/grain-corridor?utm_source=newsletter#top`]);
    expect(again).toMatchObject({ outcome: 'duplicate', method: 'url' });
    expect(site.hits('/news/grain-corridor')).toBe(before);
  });

  it('lets concurrent copies agree on exactly one canonical', async () => {
    const variants = [
      { ...original, paragraphs: [...original.paragraphs, 'Updated with the value of the contract.'] },
      spun,
      syndicated,
      { ...spun, paragraphs: [...spun.paragraphs].reverse().reverse().concat('Source: agencies.') },
      { ...syndicated, paragraphs: syndicated.paragraphs.slice(0, 4) },
      original,
    ];
    const concurrent = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0' });
    try {
      variants.forEach((v, i) => {
        site.route(`/race/${i}`, html(pageOf(v, `Mirror ${i}`)));
      });
      const outcomes = await concurrent.run(variants.map((_, i) => `${site.origin}/race/${i}`));
      const stored = outcomes.filter((o) => o.outcome === 'stored');
      expect(stored).toHaveLength(1);
      const canonical = stored[0]!.articleId;
      for (const o of outcomes.filter((x) => x.outcome !== 'stored')) {
        expect(o, JSON.stringify(o)).toMatchObject({ outcome: 'duplicate', duplicateOf: canonical });
      }
    } finally {
      await concurrent.close();
    }
  });

  it('keeps pages whose URLs differ in one non-UTF-8 escaped byte apart, and merges escape-case spellings of one URL', async () => {
    const stories: Record<string, { title: string; paragraphs: string[] }> = {
      coffee: {
        title: 'Coffee roasters face higher bean prices',
        paragraphs: [
          'Small roasters in the old town said on Monday that green bean prices had risen by a fifth since January.',
          'Two of them will raise the price of a cup by twenty cents from next month, while a third plans to cut its opening hours.',
          'Importers blamed poor harvests in two growing countries and longer shipping routes around the Cape.',
        ],
      },
      cocoa: {
        title: 'Chocolate makers brace for a costly Easter',
        paragraphs: [
          'Confectioners expect the most expensive Easter season in a decade after cocoa futures doubled over the winter.',
          'One family firm said it had shrunk its hollow eggs rather than raise prices, a choice it expects customers to notice.',
          'Growers in West Africa have been hit by disease and dry weather, traders in London said.',
        ],
      },
      tea: {
        title: 'Tea auction in the hills draws record bids',
        paragraphs: [
          'A single lot of first-flush leaves sold for a record sum at the spring auction, organisers said late on Thursday.',
          'Buyers from three continents attended, and the estate that grew the lot plans to replant a neglected slope.',
          'The auction house will publish full results, including the lowest bids, next week.',
        ],
      },
    };
    site.route('/search', (req, res) => {
      const word = req.url!.includes('%E9') ? 'coffee' : req.url!.includes('%E8') ? 'cocoa' : 'tea';
      html(pageOf(stories[word]!, 'The Daily Meridian'))(req, res);
    });
    const [e9, e8] = await t.run([`${site.origin}/search?q=caf%E9`, `${site.origin}/search?q=caf%E8`]);
    expect([e9, e8]).toEqual([expect.objectContaining({ outcome: 'stored' }), expect.objectContaining({ outcome: 'stored' })]);
    const [lower] = await t.run([`${site.origin}/search?q=t%c3%a9`]);
    expect(lower).toMatchObject({ outcome: 'stored' });
    const [upper] = await t.run([`${site.origin}/search?q=t%C3%A9`]);
    expect(upper).toMatchObject({ outcome: 'duplicate', method: 'url', duplicateOf: lower!.articleId });
  });

  it('ignores a canonical that names another site’s article, and stores that site’s genuine page as its own', async () => {
    const victim = await startTestServer('127.0.0.2');
    try {
      const genuine = `${victim.origin}/news/grain-exclusive`;
      const exclusive = {
        title: 'Port of Constanta doubles its night shifts for grain barges',
        paragraphs: [
          'The Romanian port of Constanta will run two night shifts for grain barges from Monday, its director said on Friday.',
          'Barges arriving along the Danube have queued for up to four days since the harvest began, according to the operators.',
          'The extra shifts will be paid for by a levy on each tonne loaded, which exporters agreed to after a week of talks.',
        ],
      };
      const unrelated = {
        title: 'Ferry timetable changes on the northern islands this winter',
        paragraphs: [
          'Ferries to the northern islands will sail twice a day instead of three times from November, the operator announced.',
          'Residents said the later morning crossing would make it harder for pupils to reach the secondary school on time.',
          'The council has asked the operator to review the timetable in the spring once passenger numbers have been counted.',
        ],
      };
      victim.route('/news/grain-exclusive', html(pageOf(exclusive, 'The Daily Meridian')));
      // Another site's page (a different text) claims the genuine article's URL as its canonical.
      const claim = pageOf(unrelated, 'Scraper Daily').replace('<head>', `<head><link rel="canonical" href="${genuine}">`);
      site.route('/scraped/grain', html(claim));
      const [scraped] = await t.run([`${site.origin}/scraped/grain`]);
      expect(scraped).toMatchObject({ outcome: 'stored' });
      const record = (
        await db.query<{ canonical_url: string; refused_canonical: string | null }>(
          'SELECT canonical_url, refused_canonical FROM articles WHERE id = $1',
          [scraped!.articleId],
        )
      ).rows[0]!;
      expect(record).toEqual({ canonical_url: `${site.origin}/scraped/grain`, refused_canonical: genuine });

      const [real] = await t.run([genuine]);
      expect(real).toMatchObject({ outcome: 'stored' });
      expect(real!.articleId).not.toBe(scraped!.articleId);
      expect(victim.hits('/news/grain-exclusive')).toBe(1);
    } finally {
      await victim.close();
    }
  });
});

describe('spun copy fingerprints', () => {
  it('keeps a spun copy near its original and a same-topic story far from it', async () => {
    const { fingerprint, estimateSimilarity } = await import('../../src/shared/dedup/fingerprint.js');
    const o = fingerprint(bodyOf(original))!;
    const s = fingerprint(bodyOf(spun))!;
    const d = fingerprint(bodyOf(differentStory))!;
    expect(estimateSimilarity(o.skeleton, s.skeleton)).toBeGreaterThan(0.6);
    expect(estimateSimilarity(o.skeleton, d.skeleton)).toBeLessThan(0.1);
  });
});
