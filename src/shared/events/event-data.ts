// The data of each event type, written once as a zod schema: the TypeScript types below and the
// JSON Schemas in schemas/ (npm run schemas) both come from here.
import { z } from 'zod';

const id = z.string().min(1);
const uri = z.url();
const dateTime = z.iso.datetime({ offset: true });
const codes = z.array(z.string());

const articleEntity = z.strictObject({
  id: z.string(),
  type: z.enum(['country', 'person', 'organization', 'place']),
  name: z.string(),
  count: z.number().int().min(1),
  salience: z.number().min(0).max(1),
});

const articleFields = {
  id,
  url: uri,
  canonicalUrl: uri,
  title: z.string().nullable(),
  publishedAt: dateTime.nullable(),
  language: z.string().nullable(),
  entities: z.array(articleEntity),
  countries: codes,
  focus: codes,
};

const newsletterItemFields = {
  articleId: id,
  title: z.string().nullable(),
  url: uri,
  publishedAt: dateTime.nullable(),
  summary: z.string().nullable(),
  focus: codes,
  entities: codes,
};

export const eventDataSchemas = {
  'news.article.stored': z
    .strictObject(articleFields)
    .meta({ title: 'news.article.stored: data of the CloudEvent published when a new article is stored' }),
  'news.article.updated': z.strictObject(articleFields).meta({
    title: 'news.article.updated: data of the CloudEvent published when a refetch finds a stored article changed (the record as it is now)',
  }),
  'news.article.duplicate': z
    .strictObject({
      id: id.describe('the sighting (request) id'),
      duplicateOf: id.describe('the canonical article id'),
      method: z.enum(['url', 'exact', 'near']),
      similarity: z.number().min(0).max(1),
      url: uri,
      canonicalUrl: z.string().nullable(),
      title: z.string().nullable(),
      /** What the canonical article is about (its entities, countries and focus), filled in when the copy is recorded. */
      entities: z.array(articleEntity).optional(),
      countries: codes.optional(),
      focus: codes.optional(),
    })
    .meta({ title: 'news.article.duplicate: data of the CloudEvent published when a submission turns out to be a copy' }),
  'news.newsletter.item': z
    .strictObject({ topic: id, ...newsletterItemFields })
    .meta({ title: 'news.newsletter.item: a newly stored article that joins a newsletter topic' }),
  'news.newsletter.digest': z
    .strictObject({
      id,
      topic: id,
      title: z.string(),
      periodStart: dateTime,
      periodEnd: dateTime,
      items: z
        .array(
          z.strictObject({
            ...newsletterItemFields,
            articleId: z.string(),
            siteName: z.string().nullable(),
            people: z.array(z.string()),
            image: z.string().nullable(),
          }),
        )
        .min(1),
      entities: codes.describe('every entity id of the items'),
      countries: codes.describe('every country the items are about'),
      text: z.string().min(1),
      html: z.string().min(1),
    })
    .meta({ title: "news.newsletter.digest: a topic's articles since its previous digest, ranked and rendered" }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];
export type EventData = { [T in EventType]: z.infer<(typeof eventDataSchemas)[T]> };

/** The JSON Schema of a type's data, with `$id` the `dataschema` its events carry. */
export function eventJsonSchema(type: EventType, schemaBase: string): Record<string, unknown> {
  const generated = z.toJSONSchema(eventDataSchemas[type], { target: 'draft-7' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: schemaUri(schemaBase, type), ...rest };
}

/** Where a type's schema is published: `<base><type>.json`. */
export function schemaUri(base: string, type: EventType): string {
  return `${base}${type}.json`;
}
