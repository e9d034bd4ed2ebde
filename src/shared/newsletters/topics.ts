// Newsletter topics from NEWSLINE_TOPICS_FILE (YAML or JSON): which articles a topic collects and
// when its digest goes out.
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { EntityMention } from '../tag/entity.js';

const topicSchema = z
  .strictObject({
    /** Stable name: the scheduler id and the `topic` of every item and digest. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
    title: z.string().min(1).optional(),
    /** Entity ids the article must be about, all of them / at least one of them. */
    allOf: z.array(z.string().min(1)).default([]),
    anyOf: z.array(z.string().min(1)).default([]),
    /** Only articles in this language (ISO 639-1). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/)
      .optional(),
    schedule: z.strictObject({ cron: z.string().min(9), tz: z.string().default('UTC') }),
  })
  .refine((t) => t.allOf.length > 0 || t.anyOf.length > 0, 'needs allOf or anyOf');

export type Topic = z.output<typeof topicSchema>;

const fileSchema = z.strictObject({ topics: z.array(topicSchema) });

export function loadTopics(file: string | undefined): Topic[] {
  if (!file) return [];
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`NEWSLINE_TOPICS_FILE: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`NEWSLINE_TOPICS_FILE: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const names = parsed.data.topics.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new ConfigError(`NEWSLINE_TOPICS_FILE: topic "${twice}" is defined twice`);
  return parsed.data.topics;
}

/** How salient an entity must be for the article to count as being about it (focus always counts). */
export const ABOUT_SALIENCE = 0.3;

/** The topics an article belongs to: it is about an entity when the entity is in its focus or salient. */
export function matchTopics(topics: Topic[], article: { entities: EntityMention[]; focus: string[]; language: string | null }): string[] {
  const about = new Set([...article.focus, ...article.entities.filter((e) => e.salience >= ABOUT_SALIENCE).map((e) => e.id)]);
  return topics
    .filter((t) => !t.language || t.language === article.language)
    .filter((t) => t.allOf.every((id) => about.has(id)) && (t.anyOf.length === 0 || t.anyOf.some((id) => about.has(id))))
    .map((t) => t.name);
}
