// (html, url) → Article: metadata first (it reads parts of the page that body extraction
// removes), then the body.
import type { AnyNode } from 'domhandler';
import type { Article } from './article.js';
import { countWords, extractBody, fullerBody } from './body.js';
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
