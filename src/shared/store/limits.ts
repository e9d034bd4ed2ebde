// What a stored article may hold: text PostgreSQL accepts (no NUL, no other control characters,
// no lone surrogates) and fields of bounded size, so no page or imported document can make a record
// unstorable or an event megabytes long. The limits are documented in docs/operations.md.
import type { Article } from '../extract/article.js';
import { countWords } from '../extract/body.js';

export const ARTICLE_LIMITS = {
  /** Characters of the title. */
  title: 1_000,
  /** Authors kept, and characters of each. */
  authors: 20,
  author: 200,
  description: 2_000,
  section: 200,
  siteName: 200,
  /** Tags kept, and characters of each. */
  tags: 50,
  tag: 100,
  /** Characters of a URL field (image, canonical); a longer one is dropped. */
  url: 2_048,
  language: 35,
  /** Characters of the body; a longer one is cut at the last paragraph that fits. */
  body: 200_000,
} as const;

// C0 controls but tab, newline and carriage return; DEL and C1 controls; noncharacters U+FFFE/FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/** Text PostgreSQL (text and jsonb) accepts: lone surrogates replaced, NUL and control characters removed. */
export function cleanText(text: string): string {
  return text.toWellFormed().replace(INVALID, '');
}

function capped(text: string | null, max: number): string | null {
  if (text === null) return null;
  const clean = cleanText(text);
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}

function cappedUrl(url: string | null): string | null {
  if (url === null) return null;
  const clean = cleanText(url);
  return clean.length > ARTICLE_LIMITS.url ? null : clean;
}

/** The body within its limit, cut at a paragraph boundary when one is near enough. */
function cappedBody(body: string): string {
  const clean = cleanText(body);
  if (clean.length <= ARTICLE_LIMITS.body) return clean;
  const cut = clean.lastIndexOf('\n\n', ARTICLE_LIMITS.body);
  return clean.slice(0, cut > ARTICLE_LIMITS.body / 2 ? cut : ARTICLE_LIMITS.body).trimEnd();
}

/** The article as it may be stored: every text field cleaned, every field within its limit. */
export function boundArticle(article: Article): Article {
  const body = cappedBody(article.body);
  const list = (items: string[], count: number, each: number) =>
    items
      .slice(0, count)
      .map((s) => capped(s, each)!)
      .filter(Boolean);
  return {
    ...article,
    title: capped(article.title, ARTICLE_LIMITS.title),
    authors: list(article.authors, ARTICLE_LIMITS.authors, ARTICLE_LIMITS.author),
    description: capped(article.description, ARTICLE_LIMITS.description),
    section: capped(article.section, ARTICLE_LIMITS.section),
    siteName: capped(article.siteName, ARTICLE_LIMITS.siteName),
    tags: list(article.tags, ARTICLE_LIMITS.tags, ARTICLE_LIMITS.tag),
    language: capped(article.language, ARTICLE_LIMITS.language),
    image: cappedUrl(article.image),
    canonicalUrl: cappedUrl(article.canonicalUrl),
    publishedAt: article.publishedAt === null ? null : cleanText(article.publishedAt),
    modifiedAt: article.modifiedAt === null ? null : cleanText(article.modifiedAt),
    body,
    wordCount: body.length === article.body.length ? article.wordCount : countWords(body),
  };
}

/** Limits as a Markdown table (docs/operations.md). */
export function limitsTable(): string {
  const rows: Array<[string, string]> = [
    ['title', `${ARTICLE_LIMITS.title} characters`],
    ['authors', `${ARTICLE_LIMITS.authors} names of ${ARTICLE_LIMITS.author} characters`],
    ['description', `${ARTICLE_LIMITS.description} characters`],
    ['section', `${ARTICLE_LIMITS.section} characters`],
    ['siteName', `${ARTICLE_LIMITS.siteName} characters`],
    ['tags', `${ARTICLE_LIMITS.tags} tags of ${ARTICLE_LIMITS.tag} characters`],
    ['image, canonicalUrl', `${ARTICLE_LIMITS.url} characters (a longer URL is dropped)`],
    ['body', `${ARTICLE_LIMITS.body.toLocaleString('en')} characters, cut at a paragraph; the search vector reads the first 100,000`],
  ];
  return `| field | limit |\n|---|---|\n${rows.map(([f, l]) => `| \`${f}\` | ${l} |`).join('\n')}\n`;
}
