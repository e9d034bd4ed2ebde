// Opening the article store from a command: the configured database, migrated.
import type { Config } from '../shared/config.js';
import { SqlArticleStore } from '../shared/store/article-store.js';
import { openDatabase, type Database } from '../shared/store/database.js';
import { migrate } from '../shared/store/migrate.js';

export async function withArticleStore<T>(config: Config, fn: (store: SqlArticleStore, db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.NEWSLINE_DATA_DIR });
  try {
    await migrate(db);
    return await fn(new SqlArticleStore(db), db);
  } finally {
    await db.close();
  }
}
