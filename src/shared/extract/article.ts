// What extraction produces from one page, and the same record for text that arrives already
// extracted (`newsline import`).
import { normalizeDate } from './dates.js';
import { countWords } from './body.js';
import { resolveLanguage } from '../tag/languages/detect-language.js';

export interface Article {
  title: string | null;
  authors: string[];
  /** ISO 8601 with offset, or null when the page gives no date. */
  publishedAt: string | null;
  modifiedAt: string | null;
  description: string | null;
  /** BCP 47 language tag from the page (`<html lang>`, og:locale), lower-cased primary subtag. */
  language: string | null;
  siteName: string | null;
  /** rel=canonical or og:url, resolved against the page URL. */
  canonicalUrl: string | null;
  image: string | null;
  /** The site's section: "World", "Business". */
  section: string | null;
  /** Keywords and tags the page declares. */
  tags: string[];
  /** false when the page declares itself paywalled (JSON-LD isAccessibleForFree), else null/true. */
  isAccessibleForFree: boolean | null;
  /** Paragraphs and subheadings, separated by a blank line. */
  body: string;
  wordCount: number;
}

/**
 * An article from a document another tool extracted: its text and what it says of itself. Its
 * language is detected from the text unless the document gives one.
 */
export function articleFromText(doc: { title?: string | null; body: string; publishedAt?: string | null; language?: string }): Article {
  return {
    title: doc.title ?? null,
    authors: [],
    publishedAt: normalizeDate(doc.publishedAt),
    modifiedAt: null,
    description: null,
    language: doc.language ?? resolveLanguage(null, `${doc.title ?? ''}\n${doc.body}`),
    siteName: null,
    canonicalUrl: null,
    image: null,
    section: null,
    tags: [],
    isAccessibleForFree: null,
    body: doc.body,
    wordCount: countWords(doc.body),
  };
}
