// npm run bench:store -- [--articles N] [--writers W]
//
// The article store's writes alone, on PostgreSQL: W writers at once (the jobs in flight of two
// store processes) each writing N articles' rows, entities and events through SqlArticleStore, with
// batching off (each article its own statement) and with batches of up to 4, 8 and 16. Reports
// articles/s and the CPU an article costs PostgreSQL (all its backends) and this process (pg,
// serialising the rows); and what the search vector costs (the same writes into a table without it).
// Articles come from the synthetic pages (tests/fixtures), extracted and tagged once before timing.
import { randomUUID } from 'node:crypto';
import { loadGazetteer } from '../src/shared/tag/gazetteer.js';
import { EntityMatcher } from '../src/shared/tag/matcher.js';
import { tagArticle } from '../src/shared/tag/tag-article.js';
import { contentHash } from '../src/shared/dedup/content-hash.js';
import { cloudEvent } from '../src/shared/events/cloud-event.js';
import { extractArticle } from '../src/shared/extract/extract-article.js';
import { SqlArticleStore, type NewArticle } from '../src/shared/store/article-store.js';
import { openPostgres } from '../src/shared/store/database.js';
import { migrate } from '../src/shared/store/migrate.js';
import { syntheticArticle } from '../tests/fixtures/synthetic-news.js';
import { freshDatabase } from '../tests/helpers/postgres.js';
import { parseArgs } from './lib/cli-args.js';
import { cpuOfCommand } from './lib/proc-stats.js';
import { fmt, machine, markdownTable, table, updateBenchmarksDoc, writeJson } from './lib/report.js';

const args = parseArgs(process.argv.slice(2));
const N = Number(args.get('articles') ?? 4_000);
const WRITERS = Number(args.get('writers') ?? 32);
const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function articles(count: number): NewArticle[] {
  const matcher = new EntityMatcher(loadGazetteer());
  return Array.from({ length: count }, (_, i) => {
    const page = syntheticArticle(i, { furniture: 'full' });
    const url = `https://news.example${page.path}`;
    const article = extractArticle(page.html, url);
    const tags = tagArticle(matcher, article);
    return {
      id: randomUUID(),
      url,
      canonicalUrl: url,
      finalUrl: url,
      article,
      contentHash: contentHash(article.body),
      fetchedAt: new Date().toISOString(),
      entities: tags.entities,
      countries: tags.countries,
      focus: tags.focus,
      topics: [],
    };
  });
}

/** The smallest valid data of a stored event. */
const storedData = (id: string) => ({
  id,
  url: `https://bench.example/${id}`,
  canonicalUrl: `https://bench.example/${id}`,
  title: null,
  publishedAt: null,
  language: null,
  entities: [],
  countries: [],
  focus: [],
});

const eventFor = (w: { id: string; storedAt: string }) => [
  cloudEvent({
    id: `stored-${w.id}`,
    source: 'urn:bench',
    type: 'news.article.stored',
    subject: w.id,
    time: w.storedAt,
    schemaBase: 'urn:bench:schema:',
    data: storedData(w.id),
  }),
];

interface Run {
  name: string;
  batch: number;
  articlesPerSecond: number;
  postgresCpuMs: number;
  clientCpuMs: number;
}

async function run(name: string, batch: number, input: NewArticle[], alter?: string): Promise<Run> {
  const fresh = await freshDatabase(ADMIN_URL);
  const db = await openPostgres(fresh.url);
  try {
    await migrate(db);
    if (alter) await db.query(alter);
    const store = new SqlArticleStore(db, { batch: { maxSize: batch, lingerMs: 0 } });
    const write = async (list: NewArticle[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (next < list.length) await store.upsertArticle(list[next++]!, eventFor);
        }),
      );
    };
    // Warm-up: every connection of the pool prepares its statements; the table is not empty.
    await write(input.slice(0, 400).map((a) => ({ ...a, id: randomUUID(), canonicalUrl: `${a.canonicalUrl}?warm-up` })));
    const pg0 = cpuOfCommand('postgres');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await write(input);
    const seconds = (performance.now() - t0) / 1_000;
    const cpu = process.cpuUsage(cpu0);
    const result = {
      name,
      batch,
      articlesPerSecond: input.length / seconds,
      postgresCpuMs: ((cpuOfCommand('postgres') - pg0) * 1_000) / input.length,
      clientCpuMs: (cpu.user + cpu.system) / 1_000 / input.length,
    };
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    if (rows[0]!.n !== input.length + 400) throw new Error(`${name}: ${rows[0]!.n} rows, expected ${input.length + 400}`);
    console.log(`${name}: ${fmt(result.articlesPerSecond, 0)} articles/s, PostgreSQL ${fmt(result.postgresCpuMs)} ms an article`);
    return result;
  } finally {
    await db.close();
    await fresh.drop();
  }
}

async function main(): Promise<void> {
  console.log(`extracting and tagging ${N} synthetic pages…`);
  const input = articles(N);
  const runs: Run[] = [];
  for (const batch of [1, 4, 8, 16]) runs.push(await run(batch === 1 ? 'each article alone' : `batches of up to ${batch}`, batch, input));
  runs.push(await run('each alone, no search vector', 1, input, 'ALTER TABLE articles DROP COLUMN search'));
  runs.push(await run('batches of up to 16, no search vector', 16, input, 'ALTER TABLE articles DROP COLUMN search'));

  const rows = [
    ['writes', 'articles/s', 'PostgreSQL CPU ms/article', 'client CPU ms/article'],
    ...runs.map((r) => [r.name, fmt(r.articlesPerSecond, 0), fmt(r.postgresCpuMs, 3), fmt(r.clientCpuMs, 3)]),
  ];
  console.log(`\n${table(rows)}`);
  const file = writeJson('store', { machine: machine(), articles: N, writers: WRITERS, runs });
  console.log(`\nwrote ${file}`);
  updateBenchmarksDoc(
    'store',
    `## Article store writes (\`npm run bench:store -- --articles ${N} --writers ${WRITERS}\`)

Machine: ${machine()}. PostgreSQL on the same machine; ${N} articles from the synthetic pages (extracted and tagged
before timing), each a row with its search vector, its entities and one event in the outbox, written
by ${WRITERS} writers at once through \`SqlArticleStore\` (the jobs in flight of two store processes);
a fresh database per run, after a warm-up of 400 articles. CPU is PostgreSQL's (every backend) and
this process's (pg, the rows' JSON) per article. The last two runs drop the search vector column:
what full-text search costs at write time.

${markdownTable(rows)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
