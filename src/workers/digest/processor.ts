// Digest stage: compile a topic's digest from what it collected since the last one.
import type { DigestPayload } from '../../queues/digests.js';
import { PermanentError } from '../../shared/errors.js';
import { compileDigest } from '../../shared/newsletters/digest.js';
import type { Topic } from '../../shared/newsletters/topics.js';
import type { Database } from '../../shared/store/database.js';

export interface DigestDeps {
  db: Database;
  topics: Topic[];
  source: string;
  schemaBase: string;
  /** The publication's name at the top of every digest. */
  publication?: string;
  now(): Date;
  /** Told when a digest (and its event) was committed: the outbox relay publishes sooner. */
  onCommitted?: () => void;
}

export async function processDigest(input: DigestPayload, deps: DigestDeps): Promise<{ topic: string; items: number }> {
  const topic = deps.topics.find((t) => t.name === input.topic);
  if (!topic) throw new PermanentError('unknown_topic', `no topic ${JSON.stringify(input.topic)} in NEWSLINE_TOPICS_FILE`);
  const digest = await compileDigest(deps.db, topic, {
    now: deps.now(),
    source: deps.source,
    schemaBase: deps.schemaBase,
    ...(deps.publication ? { publication: deps.publication } : {}),
  });
  if (digest) deps.onCommitted?.();
  return { topic: topic.name, items: digest?.items.length ?? 0 };
}
