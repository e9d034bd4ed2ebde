// The article's own text: find the block that holds the story, then keep its paragraphs and
// subheadings in order and leave the boilerplate (navigation, related posts, newsletter boxes,
// comment forms, share bars, captions) behind.
import type { Cheerio } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Document } from './html.js';

/** Elements that never hold article text. */
const ALWAYS_DROP =
  'script, style, noscript, template, svg, canvas, iframe, object, embed, form, button, input, select, textarea, ' +
  'nav, footer, aside, figcaption, [hidden], [aria-hidden="true"], [role="navigation"], [role="banner"], ' +
  '[role="contentinfo"], [role="complementary"], [role="dialog"]';

/** class/id words that mark boilerplate containers. */
const BOILERPLATE_ATTR =
  /(^|[\s_-])(comments?|respond|reply|related|recommend(ed|ations)?|newsletter|subscribe|subscription|signup|share|sharing|social|cookie|consent|promo|advert(isement)?|ads?|sponsor(ed)?|sidebar|breadcrumbs?|menu|popup|modal|more-stories|read-more|also-read|trending|widget|tags|author-bio|paywall)($|[\s_-])/i;
/** …unless they also say they are the story itself. */
const CONTENT_ATTR = /(^|[\s_-])(article|story|entry|post)[-_]?(body|content|text)($|[\s_-])|^(content|main)$/i;

/** Headings after which a page's own story has ended. */
const END_HEADING =
  /^(related( posts| articles| stories| news)?|read (more|next|also)|more (from|on|stories|news)|you (may|might) also like|recommended|leave a (reply|comment)|\d*\s*comments?|join the conversation|sign up|subscribe|newsletter|share this|worth reading|popular|trending|most read)\b/i;
/** Short lines that are interface, not prose. */
const UI_LINE = /^(read more|share( this)?|advertisement|continue reading|click here|sign up|subscribe( now)?|print|email|tweet)\W*$/i;

const BLOCKS = 'p, h2, h3, h4, h5, h6, li, blockquote, pre, td, dd';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function attrWords(el: Element): string {
  return `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`;
}

function linkDensity($: Document, node: Cheerio<AnyNode>, textLength: number): number {
  if (textLength === 0) return 0;
  let linked = 0;
  node.find('a').each((_, a) => {
    linked += collapse($(a).text()).length;
  });
  return Math.min(1, linked / textLength);
}

function removeBoilerplate($: Document): void {
  $(ALWAYS_DROP).remove();
  $('[class], [id]').each((_, el) => {
    const element = el as Element;
    if (['html', 'body', 'main', 'article'].includes(element.name)) return;
    const words = attrWords(element);
    if (BOILERPLATE_ATTR.test(words) && !CONTENT_ATTR.test(words)) $(element).remove();
  });
}

/** Score each paragraph's parent and grandparent by the prose it holds; return the best. */
function bestContainer($: Document): Cheerio<AnyNode> {
  const scores = new Map<AnyNode, number>();
  $('p, pre, blockquote, div, td').each((_, el) => {
    const node = $(el);
    // A div counts as a paragraph only when it holds text directly, not other blocks.
    if ((el as Element).name === 'div' && node.children('p, div, ul, ol, table, h1, h2, h3').length > 0) return;
    const text = collapse(node.text());
    if (text.length < 25) return;
    const score = 1 + (text.match(/[,，、]/g)?.length ?? 0) + Math.min(Math.floor(text.length / 100), 3);
    const parent = el.parent;
    if (!parent) return;
    scores.set(parent, (scores.get(parent) ?? 0) + score);
    const grand = parent.parent;
    if (grand) scores.set(grand, (scores.get(grand) ?? 0) + score / 2);
  });
  let best: AnyNode | null = null;
  let bestScore = 0;
  for (const [node, raw] of scores) {
    const el = $(node);
    const semantic = (node as Element).name === 'article' || (node as Element).name === 'main' ? 1.25 : 1;
    const score = raw * semantic * (1 - linkDensity($, el, collapse(el.text()).length));
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best ? $(best) : $('body');
}

/**
 * The best-scoring block is often the body alone, while the story's summary or standfirst sits
 * beside it inside the same <article>: read the whole article when it is not much larger.
 */
function widenToArticle($: Document, container: Cheerio<AnyNode>): Cheerio<AnyNode> {
  const article = container.closest('article, [itemprop="articleBody"]');
  if (article.length === 0 || article.is(container)) return container;
  const inner = collapse(container.text()).length;
  const outer = collapse(article.text()).length;
  return outer <= inner * 1.6 ? article : container;
}

/** The article's paragraphs and subheadings, separated by blank lines. */
export function extractBody($: Document): string {
  removeBoilerplate($);
  const container = widenToArticle($, bestContainer($));
  const paragraphs: string[] = [];
  const seen = new Set<string>();
  let ended = false;
  container.find(BLOCKS).each((_, el) => {
    if (ended) return false;
    const node = $(el);
    // Keep the innermost block only: an <li> holding <p>s is read through its paragraphs.
    if (node.find(BLOCKS).length > 0) return undefined;
    const text = collapse(node.text());
    if (!text) return undefined;
    const isHeading = /^h[2-6]$/.test((el as Element).name);
    if (isHeading && paragraphs.length > 0 && END_HEADING.test(text)) {
      ended = true;
      return false;
    }
    if (UI_LINE.test(text)) return undefined;
    if (linkDensity($, node, text.length) > 0.5) return undefined;
    if ((el as Element).name === 'li' && text.length < 20) return undefined;
    if (seen.has(text)) return undefined;
    // Before the story starts, short lines are kickers, date lines and bylines.
    if (paragraphs.length === 0 && !isHeading && countWords(text) < 8) return undefined;
    seen.add(text);
    paragraphs.push(text);
    return undefined;
  });
  if (paragraphs.length === 0) {
    const text = collapse(container.text());
    return text;
  }
  return paragraphs.join('\n\n');
}

export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}
