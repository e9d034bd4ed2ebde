// Newsletters: items for newly stored articles that match a topic, one scheduler per topic however
// many processes start, and digests (on a fixed clock) with the right articles, in order, once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { createDigestQueue } from '../../src/queues/digests.js';
import type { CloudEvent } from '../../src/shared/events/cloud-event.js';
import { compileDigest } from '../../src/shared/newsletters/digest.js';
import { loadTopics } from '../../src/shared/newsletters/topics.js';
import type { Database } from '../../src/shared/store/database.js';
import { storesUnderTest } from '../helpers/postgres.js';
import { startTestPipeline, waitForEvents, type TestPipeline } from '../helpers/pipeline.js';

const TOPICS_YAML = `topics:
  - name: china-russia
    title: China and Russia
    allOf: [CN, RU]
    schedule: { cron: "0 7 * * *", tz: Europe/Berlin }
  - name: russia
    anyOf: [RU]
    schedule: { cron: "0 */6 * * *" }
  - name: india
    anyOf: [IN, person:narendra-modi]
    schedule: { cron: "30 6 * * 1", tz: Asia/Kolkata }
  - name: ukraine-de
    anyOf: [UA]
    language: de
    schedule: { cron: "0 8 * * *" }
`;

const stores = await storesUnderTest('the newsletter tests');

describe.each(stores)('newsletters with $name', ({ open }) => {
  let site: SampleSite;
  let db: Database;
  let drop: () => Promise<void>;
  let t: TestPipeline;
  let file: string;
  const validate = (event: CloudEvent) => {
    const ajv = new Ajv({ strict: true });
    addFormats.default(ajv);
    const schema = JSON.parse(fs.readFileSync(path.resolve('schemas', `${event.type}.json`), 'utf8'));
    const ok = ajv.compile(schema)(event.data);
    return ok;
  };

  beforeAll(async () => {
    site = await startSampleSite();
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'topics-')), 'topics.yaml');
    fs.writeFileSync(file, TOPICS_YAML);
    ({ db, drop } = await open());
    t = await startTestPipeline(db, { NEWSLINE_TOPICS_FILE: file });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await drop?.();
    await site?.close();
  });

  it('emits one item per matching topic for each new article, none for copies', async () => {
    const outcomes = await t.run([...site.articleUrls, site.syndicatedUrl]);
    const [xi, gas, india] = outcomes.map((o) => o.articleId);
    expect(outcomes[3]!.outcome).toBe('duplicate');
    const events = await waitForEvents(t, 4, { type: 'news.newsletter.item' });
    const items = events.filter((e) => e.type === 'news.newsletter.item');
    expect(items.map((e) => `${(e.data as { topic: string }).topic}:${e.subject}`).sort()).toEqual(
      [`china-russia:${xi}`, `russia:${xi}`, `russia:${gas}`, `india:${india}`].sort(),
    );
    for (const item of items) expect(validate(item)).toBe(true);
  });

  it('keeps one scheduler per topic, however many processes upsert them', async () => {
    const second = await startTestPipeline(db, { NEWSLINE_TOPICS_FILE: file, NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX });
    try {
      const queue = createDigestQueue(t.redis, t.config.NEWSLINE_PREFIX);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz ?? null]).sort()).toEqual([
        ['digest:china-russia', '0 7 * * *', 'Europe/Berlin'],
        ['digest:india', '30 6 * * 1', 'Asia/Kolkata'],
        ['digest:russia', '0 */6 * * *', 'UTC'],
        ['digest:ukraine-de', '0 8 * * *', 'UTC'],
      ]);
      await queue.close();
    } finally {
      await second.close().catch(() => {});
    }
  });

  it('compiles a digest with the period’s articles in order, once; an empty period sends nothing', async () => {
    const topics = loadTopics(file);
    const russia = topics.find((x) => x.name === 'russia')!;
    const clock = new Date('2030-01-01T06:00:00Z');
    const digest = await compileDigest(db, russia, { now: clock, source: 'urn:test', schemaBase: 'urn:newsline:schema:' });
    expect(digest).not.toBeNull();
    // Both are about Russia; the newer story first.
    expect(digest!.items.map((i) => i.title)).toEqual([
      'Europe enters winter with gas storage nearly full',
      'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
    ]);
    expect(digest!.periodEnd).toBe('2030-01-01T06:00:00.000Z');
    // A plain-text part that reads on its own, and an e-mail HTML part (MJML) with the same stories.
    expect(digest!.text).toMatch(/^newsline · russia\n=+\n.*1 January 2030\n\n1\. Europe enters winter/);
    expect(digest!.text).toMatch(/About: .*Russia/);
    expect(digest!.html).toMatch(/^<!doctype html>/i);
    expect(digest!.html).toContain('Europe enters winter with gas storage nearly full');
    expect(digest!.html).toContain('prefers-color-scheme: dark');
    expect(
      await compileDigest(db, russia, { now: new Date('2030-01-02T06:00:00Z'), source: 'urn:test', schemaBase: 'urn:newsline:schema:' }),
    ).toBeNull();
    // The next digest's period starts where this one's ended, and it is about what its items are about.
    await db.query("UPDATE newsletter_items SET digest_id = NULL WHERE topic = 'russia'");
    const next = await compileDigest(db, russia, {
      now: new Date('2030-01-03T06:00:00Z'),
      source: 'urn:test',
      schemaBase: 'urn:newsline:schema:',
    });
    expect(next!.periodStart).toBe('2030-01-01T06:00:00.000Z');
    expect(next!.countries).toContain('RU');
    expect(next!.entities).toEqual(expect.arrayContaining(['RU']));
    const ukraine = topics.find((x) => x.name === 'ukraine-de')!;
    expect(await compileDigest(db, ukraine, { now: clock, source: 'urn:test', schemaBase: 'urn:newsline:schema:' })).toBeNull();

    const events = await waitForEvents(t, 1, { type: 'news.newsletter.digest' });
    const digests = events.filter((e) => e.type === 'news.newsletter.digest');
    expect(digests.map((e) => e.subject)).toEqual(['russia']); // the same items again make the same digest event (one id)
    expect(validate(digests[0]!)).toBe(true);
  });

  it('rejects a topics file with a clear message', () => {
    const bad = path.join(path.dirname(file), 'bad.yaml');
    fs.writeFileSync(bad, 'topics:\n  - name: Bad Name\n    anyOf: [RU]\n    schedule: { cron: "0 7 * * *" }\n');
    expect(() => loadTopics(bad)).toThrow('NEWSLINE_TOPICS_FILE: topics.0.name: lower-case letters, digits and "-"');
  });
});
