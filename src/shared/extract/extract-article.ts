// (html, url) → Article: metadata first (it reads parts of the page that body extraction
// removes), then the body.
import type { AnyNode } from 'domhandler';
import type { Article } from './article.js';
import { extractBody, countWords } from './body.js';
import { readHtml } from './html.js';
import { declaredArticleBody, extractMetadata } from './metadata.js';
import { indexPage } from './page-index.js';

/**
 * Pages larger than this are cut before parsing: no news article needs more, and it bounds
 * the parser's time and memory on hostile input.
 */
export const MAX_PARSE_CHARS = 3_000_000;

export function extractArticle(html: string, url: string): Article {
  return readHtml(html.length > MAX_PARSE_CHARS ? html.slice(0, MAX_PARSE_CHARS) : html, ($) => {
    // One walk over the page collects what both read (metas, headline, bylines, <body>).
    const page = indexPage($.root()[0] as unknown as AnyNode);
    const metadata = extractMetadata($, url, page);
    const body = fullerBody(extractBody($, page), declaredArticleBody(page));
    return { ...metadata, body, wordCount: countWords(body) };
  });
}

/** The declared text is taken when it has at least this many times the words read from the page, and 20 more. */
const DECLARED_SHARE = 1.2;

/**
 * The story as the page's JSON-LD declares it when the page shows only part of it (a teaser, a
 * paywall, paragraphs loaded later): the declared text is longer and opens the way the read text
 * does. Paragraphs whose tags were stripped ("drives.As AnandTech") are split again.
 */
function fullerBody(read: string, declared: string | null): string {
  if (!declared) return read;
  const paragraphs = declared
    .split(/\n+|(?<=\p{Ll}{2}[.!?])(?=\p{Lu}\p{Ll})/u)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  if (countWords(paragraphs) < DECLARED_SHARE * countWords(read) + 20) return read;
  const opening = read.split('\n\n')[0]!.replace(/\s+/g, ' ').slice(0, 60);
  return paragraphs.replace(/\s+/g, ' ').includes(opening) ? paragraphs : read;
}
