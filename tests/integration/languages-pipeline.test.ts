// A Russian and a Chinese article through the whole pipeline: fetched, extracted, tagged in their
// own language, stored with their countries and focus, announced, and picked up by a newsletter
// topic about China and Russia. The pages are written for this project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { startTestPipeline, waitForEvents, type TestPipeline } from '../helpers/pipeline.js';
import { html, startTestServer, type TestServer } from '../helpers/test-server.js';

const page = (lang: string, title: string, paragraphs: string[]) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;

describe('articles in Russian and Chinese through the pipeline', () => {
  let site: TestServer;
  let db: Database;
  let t: TestPipeline;

  beforeAll(async () => {
    site = await startTestServer();
    site.route(
      '/ru/lavrov-v-pekine',
      html(
        page('ru', 'Лавров прибыл в Пекин', [
          'Министр иностранных дел России Сергей Лавров во вторник прибыл в Пекин, где встретился с председателем КНР Си Цзиньпином.',
          'Стороны обсудили торговлю между Россией и Китаем, поставки энергоносителей и положение на Украине.',
          'По словам дипломатов, следующая встреча министров состоится в Москве осенью.',
        ]),
      ),
    );
    site.route(
      '/zh/xi-lavrov',
      html(
        page('zh', '习近平会见俄罗斯外长拉夫罗夫', [
          '国家主席习近平星期二在北京会见俄罗斯外交部长拉夫罗夫。',
          '双方就中俄关系、能源合作和乌克兰问题交换了意见，并同意加强在联合国等多边机制中的协调。',
          '拉夫罗夫表示，俄方愿同中方一道推动两国关系继续向前发展。',
        ]),
      ),
    );
    const topics = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'topics-')), 'topics.yaml');
    fs.writeFileSync(topics, 'topics:\n  - name: china-russia\n    allOf: [CN, RU]\n    schedule: { cron: "0 7 * * *" }\n');
    db = await openPglite(null);
    t = await startTestPipeline(db, { NEWSLINE_TOPICS_FILE: topics, FETCH_HOST_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await site?.close();
  });

  it('stores each with its language, countries and focus, announces it, and lists it under allOf [CN, RU]', async () => {
    const outcomes = await t.run([`${site.origin}/ru/lavrov-v-pekine`, `${site.origin}/zh/xi-lavrov`]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored']);
    const { rows } = await db.query<{ id: string; language: string; countries: string[] | string; focus: string[] | string }>(
      'SELECT id, language, countries, focus FROM articles WHERE id = ANY($1)',
      [outcomes.map((o) => o.articleId)],
    );
    const list = (v: string[] | string) => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);
    const byId = new Map(rows.map((r) => [r.id, { language: r.language, countries: list(r.countries), focus: [...list(r.focus)].sort() }]));
    for (const [o, language] of [
      [outcomes[0]!, 'ru'],
      [outcomes[1]!, 'zh'],
    ] as const) {
      const stored = byId.get(o.articleId!)!;
      expect(stored.language).toBe(language);
      expect(stored.focus).toEqual(['CN', 'RU']);
      expect(stored.countries).toEqual(expect.arrayContaining(['CN', 'RU', 'UA']));
    }
    const stored = (await waitForEvents(t, 2, { type: 'news.article.stored' })).filter((e) => e.type === 'news.article.stored');
    for (const e of stored) expect((e.data as { focus: string[] }).focus.sort()).toEqual(['CN', 'RU']);
    const items = (await waitForEvents(t, 2, { type: 'news.newsletter.item' })).filter((e) => e.type === 'news.newsletter.item');
    expect(items.map((e) => `${(e.data as { topic: string }).topic}:${e.subject}`).sort()).toEqual(
      outcomes.map((o) => `china-russia:${o.articleId}`).sort(),
    );
  });
});
