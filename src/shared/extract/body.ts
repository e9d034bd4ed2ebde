// The article's own text. One pass over the DOM measures every element (prose it holds, text
// inside links, paragraphs); the element that holds the most prose — weighted by link density
// and by what its class names say — is the story, joined by siblings that score almost as well.
// Its text is then laid out as paragraphs, leaving behind subtrees whose names mark boilerplate
// (related posts, share bars, newsletter boxes, comments, captions), link lists, interface lines,
// and everything after a heading such as "Related posts" or "Leave a reply".
import type { AnyNode, Element } from 'domhandler';
import type { Document } from './html.js';
import { UNSPACED, scanWords } from '../text/words.js';
import { collapse, collapsedLength, descendants, type PageIndex } from './page-index.js';

/** "Image 3 of 5", "[button link=…]" (an unrendered WordPress shortcode). */
const WIDGET_LINE = /^((image|photo|picture|slide|gallery) \d+ (of|\/) \d+|\[\/?[a-z_]+( [^\]]*)?\].*)$/i;
/** A short line stamped with a date and time is metadata (a byline, a "posted" line), not prose. */
const STAMP = /\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}|\b\d{1,2}:\d{2} ?(a\.?m\.?|p\.?m\.?)(?=\W|$)/i;
/**
 * A picture's credit standing as a line of its own: "Foto: Max Muster/dpa", "(Credit: Jane Doe)",
 * "Photograph by Jane Doe", "Crédits photos : Bestimage" (short lines only), or a source line
 * ("Quelle: Landesregierung").
 */
const CREDIT_LINE =
  /^\(?(?:fotos?|photos?|bild(?:er)?|credits?|crédits? photos?|abbildung|image|fuente|quelle)\s*[:：]|^(?:photograph|photo|foto|picture) by\b|(?:getty images|shutterstock|istock(?:photo)?|imago|picture alliance|ap photo|afp)\s*\)?$/iu;
/**
 * The site promoting itself in the middle of a story as after it: follow us on a network, our
 * Telegram or YouTube channel, our app, become a member; a consent placeholder for an embed; the
 * reader's login or comment state.
 */
const PROMO_LINE =
  /\b(?:follow|síguenos|siga|folgen sie|folge uns|suivez)\b.{0,40}\b(?:twitter|instagram|facebook|telegram|youtube|tiktok|linkedin)\b|\b(?:canal|channel|kanal|chaîne) (?:de |on |auf )?(?:telegram|youtube|whatsapp)\b|\b(?:telegram|youtube|whatsapp)[- ](?:kanal|channel|canal)\b|\bapps? (?:for|für|pour|para) (?:ios|android)\b|straight to your (?:phone|inbox)|^(?:subscribe|abonnieren|suscríbete|abonnez-vous)\b|hazte miembro|werden sie mitglied|become a member|empfohlener redaktioneller inhalt|nicht eingeloggt|not logged in|^keine kommentare\b/iu;
/** "War der Artikel nützlich?", "Did you like this story?", "¿Te gustó este artículo?" */
const READER_PROMPT = /\b(?:artikel|article|beitrag|story|post|artículo|artigo)s?\b.*\?$/iu;
/** What stories end with but is not theirs: sign-ups, citations, copyright, "follow us". */
const TRAILER =
  /(sign up|subscribe|newsletter|delivered (to|through) your|click here|follow (us|him|her|them)\b|subject to copyright|all rights reserved|^citation:|^copyright|^©|^\(c\) \d{4})/i;

/** Never text: dropped with their subtrees. */
const SKIP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'video',
  'audio',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'nav',
  'aside',
  'footer',
  'figcaption',
  'head',
  'title',
  'meta',
  'link',
  'picture',
  'source',
  'map',
  'dialog',
  'menu',
  'figure',
]);
const SKIP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog', 'alert', 'search']);

/** Elements that start a new line of text. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'table',
  'tbody',
  'thead',
  'tr',
  'figure',
  'hr',
  'form',
  'address',
  'center',
  'details',
  'summary',
  'fieldset',
  'caption',
]);
/** Containers whose own text (no blocks inside, or text beside them) counts as a paragraph. */
const LEAF_TEXT_TAGS = new Set(['div', 'section', 'font', 'center']);
/** Elements whose text counts as a paragraph of prose when scoring. */
const PARAGRAPH_TAGS = new Set(['p', 'pre', 'blockquote', 'td', 'li']);

const BOILERPLATE_WORDS = new Set([
  'comment',
  'comments',
  'respond',
  'reply',
  'replies',
  'related',
  'recommended',
  'recommendations',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'share',
  'sharing',
  'sharebar',
  'social',
  'cookie',
  'cookies',
  'consent',
  'promo',
  'promotion',
  'advert',
  'advertisement',
  'advertising',
  'ad',
  'ads',
  'adslot',
  'dfp',
  'sponsor',
  'sponsored',
  'sidebar',
  'breadcrumb',
  'breadcrumbs',
  'popup',
  'modal',
  'outbrain',
  'taboola',
  'trending',
  'popular',
  'tags',
  'caption',
  'credit',
  'credits',
  'byline',
  'bio',
  'author',
  'authorbox',
  'autor',
  'autorenbox',
  'toolbar',
  'rating',
  'pagination',
  'pager',
  'disclaimer',
  'teaser',
  'teasers',
  'nav',
  'navigation',
  'menu',
  'masthead',
  'banner',
  'login',
  'gallery',
  'slideshow',
  'carousel',
  'dateline',
  'timestamp',
  'kicker',
  'toc',
  'footer',
]);
/** Subtree names that mean "this is the story", which overrule boilerplate words. */
const CONTENT_WORDS =
  /(^|[\s_-])(article|story|entry|post)[-_]?(body|content|text)|(^|[\s_-])(articlebody|storybody|bodytext|body-text|article-text|main-content|post-content|entry-content)($|[\s_-])/i;

const POSITIVE = /article|body|content|entry|main|page|post|text|blog|story|prose|column/i;
const NEGATIVE =
  /comment|meta|footer|footnote|related|share|social|sidebar|sponsor|promo|widget|banner|combx|masthead|media|outbrain|shoutbox|skyscraper|tags|tool|nav|menu|login|newsletter|subscribe|recommend|popular|trending|teaser|caption/i;

/** Headings after which a page's own story has ended. */
const END_HEADING = new RegExp(
  '^(' +
    [
      // English
      'related( posts| articles| stories| news| content| coverage)?',
      'read (more|next|also)',
      'more (from|on|stories|news|in)',
      'you (may|might) (also )?like',
      'recommended',
      'leave a (reply|comment)',
      '\\d*\\s*comments?',
      'join the conversation',
      'sign up',
      'subscribe',
      'newsletter',
      'share this',
      'worth reading',
      'popular',
      'trending',
      'most (read|popular|viewed)',
      'about the author',
      'what to read next',
      'further reading',
      'see also',
      'also read',
      'latest news',
      'top stories',
      // German, French, Spanish, Portuguese, Italian, Dutch, Russian
      'lesen sie (auch|mehr)',
      'mehr zum thema',
      'das könnte sie auch interessieren',
      'weitere (artikel|beiträge|themen|nachrichten|meldungen|berichte|infos|informationen|tipps|links|\\p{L}*tipps)',
      'mehr (artikel|beiträge|kolumnen|nachrichten|news|themen)',
      'aktuelle (artikel|beiträge|berichte|nachrichten|meldungen)',
      'kommentare',
      '(à )?lire aussi',
      'sur le même sujet',
      "(plus d'|autres )articles",
      'à voir aussi',
      'commentaires',
      'te puede interesar',
      'noticias relacionadas',
      '(más|otras) noticias',
      'lee también',
      'comentarios',
      'leia (também|mais)',
      'veja também',
      'você pode gostar',
      'relacionad[oa]s',
      'comentários',
      'leggi anche',
      'potrebbe interessarti',
      'commenti',
      'lees ook',
      'meer over',
      'reacties',
      'читайте также',
      'похожие (статьи|новости)',
      'рекомендуем',
      'комментарии',
    ].join('|') +
    ')(?![\\p{L}\\p{N}])',
  'iu',
);
/** Short lines that are interface, not prose (English, German, French, Spanish, Portuguese). */
const UI_LINE =
  /^(read more|share( this( article| story)?)?|advertisement|advertising|advert|continue reading|explore further|tell us what you think|click here|sign up|subscribe( now)?|print|email|tweet|whatsapp|facebook|twitter|linkedin|pinterest|reddit|copy link|save|follow us|scroll to continue|story continues below|skip advert|close|menu|search|loading\W*|image|photo|video|watch|listen|comments?|no comments|like it\W+share it|permalink|last modified|release date|weiterlesen|mehr lesen|lire la suite|leer más|leia mais|teilen|artikel teilen|partager|compartir|anzeige|werbung|publicité|publicidad|drucken|imprimer|imprimir|kommentare|keine kommentare|commentaires|comentarios|permalien|wird geladen|chargement|cargando|zuletzt aktualisiert|aktualisiert am)\W*$/iu;

interface Stats {
  chars: number;
  linkChars: number;
  /** Paragraph scores its descendants gave it. */
  score: number;
  /** The score it gives its ancestors as a paragraph itself (a div of text between <br>s), if it is one. */
  own?: number;
}

function attrText(el: Element): string {
  return `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`;
}

function isSkipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.name)) return true;
  const a = el.attribs;
  if (a['hidden'] !== undefined || a['aria-hidden'] === 'true') return true;
  if (a['role'] && SKIP_ROLES.has(a['role'])) return true;
  const style = a['style'];
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function isBoilerplate(el: Element): boolean {
  // The page's own wrappers name the page's state ("cookies-not-set", "ads", "slider-menu"), not
  // what they hold.
  if (el.name === 'body' || el.name === 'html' || el.name === 'main') return false;
  const words = attrText(el);
  if (words.trim() === '' || CONTENT_WORDS.test(words)) return false;
  const names = nameWords(words);
  // A post the story quotes ("social-media-embed", blockquote.twitter-tweet) is part of it.
  if (names.includes('embed') || el.name === 'blockquote') return false;
  for (const w of names) {
    if (!BOILERPLATE_WORDS.has(w)) continue;
    // A teaser that links nowhere is the story's own lead ("teaser-text", "article-teaser"); a
    // teaser of another story links to it.
    if (LEAD_WORDS.has(w) && !linksSomewhere(el)) continue;
    return true;
  }
  return false;
}

/** Boilerplate words that also name a story's lead paragraph. */
const LEAD_WORDS = new Set(['teaser', 'kicker']);

function linksSomewhere(el: Element): boolean {
  return descendants(el, (d) => d.name === 'a' && Boolean(d.attribs['href'])).length > 0;
}

/** Subtrees that are never the story, however much prose they hold (reader comments, say). */
const STRONG_BOILERPLATE = new Set([
  'comment',
  'comments',
  'commentlist',
  'respond',
  'replies',
  'related',
  'recommended',
  'recommendations',
  'outbrain',
  'taboola',
  'newsletter',
  'disqus',
]);

/** Every STRONG_BOILERPLATE word contains one of these: a class or id without any cannot hold one. */
const STRONG_HINT = /comment|respond|replies|related|recommend|outbrain|taboola|newsletter|disqus/i;

function isStrongBoilerplate(el: Element): boolean {
  if (el.name === 'body' || el.name === 'html' || el.name === 'main' || el.name === 'article') return false;
  const words = attrText(el);
  if (!STRONG_HINT.test(words) || CONTENT_WORDS.test(words)) return false;
  if (!nameWords(words).some((w) => STRONG_BOILERPLATE.has(w))) return false;
  // A widget never holds the page's <main> or its headline: such a wrapper ("theme-taboola") is the page's.
  return !holdsPageFrame(el);
}

/** How many nodes of a subtree are looked at for a <main> or <h1>: a page's frame shows them early. */
const FRAME_SEARCH_NODES = 5_000;

function holdsPageFrame(el: Element): boolean {
  const stack: AnyNode[] = [...el.children];
  for (let seen = 0; stack.length > 0 && seen < FRAME_SEARCH_NODES; seen++) {
    const n = stack.pop()!;
    if (n.type !== 'tag') continue;
    const child = n as Element;
    if (child.name === 'main' || child.name === 'h1') return true;
    for (let i = child.children.length - 1; i >= 0; i--) stack.push(child.children[i]!);
  }
  return false;
}

/** Words that make the next one a state of the element, not what it is: "has-comments", "no-sidebar". */
const STATE_WORDS = new Set(['has', 'with', 'no', 'without', 'show', 'hide', 'is', 'enable', 'enabled', 'disable', 'disabled']);

/**
 * "InlineImage-imageEmbedCaption share_bar" → inline, image, image, embed, caption, share, bar. A
 * word a state word governs is left out: a page wrapper "article has-recommendations" or "body
 * no-sidebars" says what its page has, and holds the story.
 */
function nameWords(attr: string): string[] {
  const words = attr
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-:.]+/);
  return words.filter((_, i) => i === 0 || !STATE_WORDS.has(words[i - 1]!));
}

function classWeight(el: Element): number {
  const words = attrText(el);
  let w = 0;
  if (NEGATIVE.test(words)) w -= 25;
  if (POSITIVE.test(words)) w += 25;
  if (el.name === 'article' || el.name === 'main' || el.attribs['itemprop'] === 'articleBody') w += 25;
  return w;
}

/** Deeper than this, markup is hostile or broken: its text is not read. */
const MAX_DEPTH = 400;

/**
 * A block is a candidate for the story only with at least this share of the best paragraph score
 * on the page: class names ("textpic", "content") break ties between blocks of prose, they do not
 * lift an image wrapper or a caption over the story. Trafilatura's development pages, snippet F:
 * floor 0 → 0.898, 0.2 → 0.898, 0.34 → 0.902, 0.5 → 0.896.
 */
const PROSE_FLOOR = 0.34;

/** A story block giving fewer words than this is passed over for the next best (a teaser list, a card of links). */
const ENOUGH_WORDS = 25;

/**
 * The story read from its block is replaced by the page's paragraphs when it has less than this
 * share of their words. Trafilatura's development pages, snippet F (scrapinghub body F1): never
 * 0.915 (0.970), 0.2 → 0.915, 0.35 → 0.917, 0.5 → 0.917 (0.970), 0.65 → 0.917 (0.969), 1.0 → 0.914
 * (0.964).
 */
const BASELINE_SHARE = 0.4;

/**
 * One pass: characters and link characters per element, and paragraph scores added to the three
 * nearest ancestors. Paragraphs inside reader comments and the like, or inside a link, score nothing.
 */
export function measure(
  root: AnyNode,
  stats: Map<Element, Stats>,
  depth = 0,
  excluded = false,
  inLink = false,
): { chars: number; linkChars: number } {
  let chars = 0;
  let linkChars = 0;
  let blockChildren = false;
  if (depth > MAX_DEPTH) return { chars, linkChars };
  const children = (root as Element).children ?? [];
  for (const child of children) {
    if (child.type === 'text') {
      chars += collapsedLength((child as unknown as { data: string }).data);
    } else if (child.type === 'tag') {
      const el = child as Element;
      if (isSkipped(el)) continue;
      if (BLOCK_TAGS.has(el.name)) blockChildren = true;
      const inner = measure(el, stats, depth + 1, excluded || isStrongBoilerplate(el), inLink || el.name === 'a');
      chars += inner.chars;
      linkChars += el.name === 'a' ? inner.chars : inner.linkChars;
    }
  }
  if ((root as Element).type === 'tag') {
    const el = root as Element;
    // Descendants have already added their paragraph scores to this element.
    const existing = stats.get(el);
    stats.set(el, { chars, linkChars, score: excluded ? 0 : (existing?.score ?? 0) });
    // Prose sits in <p> and friends, or in a div holding text (and inline markup) itself.
    const textBlock = PARAGRAPH_TAGS.has(el.name) || (LEAF_TEXT_TAGS.has(el.name) && (!blockChildren || hasDirectText(el)));
    // Paragraphs inside a link are a card pointing at another page, not the story.
    if (!excluded && !inLink && textBlock && chars >= 25) {
      const own = (1 + countCommas(el) + Math.min(Math.floor(chars / 100), 3)) * (1 - linkChars / chars);
      stats.get(el)!.own = own;
      let ancestor = el.parent as Element | null;
      for (let level = 0; ancestor && ancestor.type === 'tag' && level < 3; level++) {
        const s = stats.get(ancestor) ?? { chars: 0, linkChars: 0, score: 0 };
        s.score += own / (level === 0 ? 1 : level === 1 ? 2 : 3);
        stats.set(ancestor, s);
        ancestor = ancestor.parent as Element | null;
      }
    }
  }
  return { chars, linkChars };
}

function hasDirectText(el: Element): boolean {
  return el.children.some((c) => c.type === 'text' && (c as unknown as { data: string }).data.trim().length > 20);
}

function countCommas(el: Element): number {
  let n = 0;
  for (const c of el.children) if (c.type === 'text') n += ((c as unknown as { data: string }).data.match(/[,，、]/g) ?? []).length;
  return n;
}

function finalScore(el: Element, s: Stats): number {
  return (s.score + classWeight(el)) * (1 - (s.chars ? s.linkChars / s.chars : 0));
}

function contains(ancestor: Element, node: Element): boolean {
  for (let n: AnyNode | null = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/**
 * The element holding the story. A story split into several blocks of the same markup (chunks
 * between ads, say) is joined by climbing to the nearest ancestor that holds them all; then
 * siblings that score almost as well are added.
 */
export function selectContent(
  stats: Map<Element, Stats>,
  fallback: Element,
  passedOver: Element[] = [],
): { nodes: Element[]; core: Element | null; top: Element | null } {
  const ranked: Array<{ el: Element; score: number }> = [];
  const open = [...stats].filter(([el, s]) => s.score > 0 && !passedOver.some((p) => contains(p, el)));
  let mostEl: Element | null = null;
  let most: Stats = { chars: 0, linkChars: 0, score: 0 };
  for (const [el, s] of open) {
    if (s.score > most.score) {
      most = s;
      mostEl = el;
    }
  }
  const floor = most.score * PROSE_FLOOR;
  // Or it holds as much plain text as the best-scoring block (text between <br>s in a <span>
  // scores nothing as paragraphs).
  const plain = (s: Stats) => s.chars - s.linkChars;
  for (const [el, s] of open) {
    if (Math.max(s.score, s.own ?? 0) >= floor || plain(s) >= plain(most)) ranked.push({ el, score: finalScore(el, s) });
  }
  ranked.sort((a, b) => b.score - a.score);
  const top = ranked[0];
  if (!top || top.score <= 0) return { nodes: [fallback], core: null, top: null };
  // The direct parent of most of the prose, whatever its name: boilerplate-sounding wrappers
  // around it are kept.
  const core = mostEl ?? top.el;
  let best = top.el;
  // Other chunks of the same story repeat the best block's markup: the same tag, and the same
  // component (the first class word: "field field--name-intro" and "field field--name-body").
  const signature = (el: Element) => `${el.name}.${(el.attribs['class'] ?? '').trim().split(/\s+/)[0]}`;
  const strong = ranked.filter(
    (c) =>
      c.score >= top.score * 0.35 &&
      best.attribs['class'] !== undefined &&
      signature(c.el) === signature(best) &&
      !contains(best, c.el) &&
      !contains(c.el, best),
  );
  for (let level = 0; level < 6 && strong.length > 0; level++) {
    const parent = best.parent as Element | null;
    if (parent?.type !== 'tag' || parent.name === 'body' || parent.name === 'html') break;
    best = parent;
    for (let i = strong.length - 1; i >= 0; i--) if (contains(best, strong[i]!.el)) strong.splice(i, 1);
  }
  if (strong.length > 0) best = top.el; // the others are elsewhere on the page: keep to the best block

  const parent = best.parent as Element | null;
  if (parent?.type !== 'tag') return { nodes: [best], core, top: top.el };
  const threshold = Math.max(10, top.score * 0.2);
  const chosen: Element[] = [];
  for (const sib of parent.children) {
    if (sib.type !== 'tag') continue;
    const el = sib as Element;
    if (el === best) {
      chosen.push(el);
      continue;
    }
    if (isSkipped(el) || isBoilerplate(el)) continue;
    const s = stats.get(el);
    if (!s || s.chars === 0) continue;
    const density = s.linkChars / s.chars;
    if (finalScore(el, s) >= threshold || (el.name === 'p' && ((s.chars > 80 && density < 0.25) || (density === 0 && s.chars > 20)))) {
      chosen.push(el);
    }
  }
  chosen.unshift(...standfirsts(best, stats).filter((el) => !chosen.includes(el)));
  return { nodes: chosen, core, top: top.el };
}

/** Class and id words that name a story's standfirst: the lead paragraph set apart above its body. */
const STANDFIRST_WORDS = new Set([
  'lead',
  'lede',
  'intro',
  'introduction',
  'summary',
  'description',
  'excerpt',
  'standfirst',
  'deck',
  'dek',
  'teaser',
  'vorspann',
  'abstract',
  'subtitle',
  'subheadline',
  'chapo',
  'chapeau',
  'entradilla',
  'bajada',
  'sumario',
  'einleitung',
]);

/**
 * The standfirst of the story in `best`: an element just before it, or before one of its nearest
 * ancestors, named as a lead ("article-lead", "p.intro", "div.summary", "h2.article-deck") and
 * holding prose, not links.
 */
function standfirsts(best: Element, stats: Map<Element, Stats>): Element[] {
  const found: Element[] = [];
  let node: Element | null = best;
  for (let level = 0; node && level < 4; level++) {
    const parent = node.parent as Element | null;
    if (parent?.type !== 'tag' || parent.name === 'body' || parent.name === 'html') break;
    const siblings = parent.children.filter((c): c is Element => c.type === 'tag');
    const at = siblings.indexOf(node);
    for (let i = at - 1; i >= 0 && i >= at - 6; i--) {
      const sibling = siblings[i]!;
      if (isSkipped(sibling)) continue;
      // The standfirst itself, or one inside the header before the body (header > p.intro).
      const inside = sibling.children.filter((c): c is Element => c.type === 'tag');
      for (const el of [sibling, ...inside].reverse()) {
        const s = stats.get(el);
        if (!s || s.chars < 40 || s.linkChars / s.chars > 0.2 || isSkipped(el)) continue;
        if (!nameWords(attrText(el)).some((w) => STANDFIRST_WORDS.has(w))) continue;
        found.unshift(el);
        break;
      }
    }
    node = parent;
  }
  return found;
}

interface Line {
  text: string;
  linkChars: number;
  heading: boolean;
  item: boolean;
}

/**
 * Lay out the chosen subtrees as lines, one per block, skipping boilerplate subtrees — but never
 * one that holds `core`, the best block (class names like "content-with-sidebar" wrap stories).
 */
export function layout(nodes: Element[], core: Element | null): Line[] {
  const lines: Line[] = [];
  let buf = '';
  let linkChars = 0;
  let heading = false;
  let item = false;
  const flush = () => {
    const text = collapse(buf);
    if (text) lines.push({ text, linkChars, heading, item });
    buf = '';
    linkChars = 0;
    heading = false;
    item = false;
  };
  const visit = (node: AnyNode, inLink: boolean, top: boolean, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      buf += data;
      if (inLink) linkChars += collapsedLength(data);
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    if (isSkipped(el) || (!top && isBoilerplate(el) && !(core && contains(el, core)))) return;
    if (el.name === 'br') {
      buf += '\n';
      if (/\n\s*\n\s*$/.test(buf)) flush();
      return;
    }
    if (el.name === 'h1') return; // the title, not the body
    const block = BLOCK_TAGS.has(el.name);
    if (block) flush();
    // A table row reads as one line, its cells apart.
    if (el.name === 'td' || el.name === 'th') buf += ' ';
    if (/^h[2-6]$/.test(el.name)) heading = true;
    if (el.name === 'li') item = true;
    for (const child of el.children) visit(child, inLink || el.name === 'a', false, depth + 1);
    if (block) {
      if (/^h[2-6]$/.test(el.name)) heading = true;
      flush();
    }
  };
  for (const n of nodes) {
    visit(n, false, true, 0);
    flush();
  }
  return lines;
}

/** Words (letters, numbers, `_`); a run in a script written without spaces counts one per two characters. */
function wordCount(text: string): number {
  let n = 0;
  scanWords(
    text,
    (start, end, classes) => {
      n += classes & UNSPACED ? Math.ceil((end - start) / 2) : 1;
    },
    { underscore: true },
  );
  return n;
}

function isProse(line: Line): boolean {
  return !line.item && !line.heading && line.linkChars / line.text.length < 0.1 && wordCount(line.text) >= 20;
}

/** At least three paragraphs of prose follow before the next end-of-story heading. */
function storyContinues(lines: Line[], from: number): boolean {
  let prose = 0;
  for (let i = from; i < lines.length && prose < 3; i++) {
    const line = lines[i]!;
    if (line.heading && END_HEADING.test(line.text)) break;
    if (isProse(line)) prose++;
  }
  return prose >= 3;
}

/** The article's paragraphs and subheadings, separated by blank lines. */
export function extractBody($: Document, page: PageIndex): string {
  const root = $.root()[0] as unknown as AnyNode;
  const stats = new Map<Element, Stats>();
  measure(root, stats);
  const body = page.body ?? (root as Element);
  // The best block that reads as a story: one giving next to nothing (a teaser list, a card of
  // links) is passed over for the next, at most twice.
  const passedOver: Element[] = [];
  let text = '';
  let words = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const { nodes, core, top } = selectContent(stats, body, passedOver);
    const candidate = readLines(layout(nodes, core));
    const candidateWords = wordCount(candidate);
    if (candidateWords > words) [text, words] = [candidate, candidateWords];
    if (words >= ENOUGH_WORDS || !top) break;
    passedOver.push(top);
  }
  // A story read from one block that holds well under half the page's plain paragraphs missed
  // most of it (a story spread over sibling sections, a page without one container): the page's
  // paragraphs outside boilerplate are the better reading.
  const paragraphs = pageParagraphs(stats);
  const paragraphChars = paragraphs.reduce((n, el) => n + stats.get(el)!.chars, 0);
  if (text.length < BASELINE_SHARE * paragraphChars) {
    const baseline = readLines(layout(paragraphs, null));
    if (words < BASELINE_SHARE * wordCount(baseline)) return baseline;
  }
  return text;
}

/**
 * The page's paragraphs of prose: <p> elements of 40+ characters, mostly not links, that score as
 * paragraphs (not inside a link or reader comments) and sit in no subtree named like boilerplate.
 */
function pageParagraphs(stats: Map<Element, Stats>): Element[] {
  const inBoilerplate = new Map<Element, boolean>();
  const inside = (el: Element | null): boolean => {
    if (el?.type !== 'tag') return false;
    let known = inBoilerplate.get(el);
    if (known === undefined) {
      known = isBoilerplate(el) || inside(el.parent as Element | null);
      inBoilerplate.set(el, known);
    }
    return known;
  };
  const out: Element[] = [];
  for (const [el, s] of stats) {
    if (el.name === 'p' && s.own && s.chars >= 40 && s.linkChars / s.chars <= 0.3 && !inside(el.parent as Element | null)) out.push(el);
  }
  return out;
}

/** The story's lines as text: widgets, UI lines, stamps, repeats and trailing credits left out. */
function readLines(lines: Line[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  let widget = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const words = wordCount(line.text);
    if (line.linkChars / line.text.length > 0.5) continue;
    // A heading, or a line that introduces what follows with a colon ("Lesen Sie auch:").
    const label = line.heading || /[:：]\s*$/.test(line.text);
    if (label && out.length > 0 && words <= 6 && END_HEADING.test(line.text)) {
      // "Related news" in the middle of a story is a widget: skip it and read on. At the end of
      // the story it is where the story ends.
      if (!storyContinues(lines, i + 1)) break;
      widget = true;
      continue;
    }
    if (widget) {
      if (line.heading || line.item || !isProse(line)) continue;
      widget = false;
    }
    if (UI_LINE.test(line.text) || WIDGET_LINE.test(line.text)) continue;
    if (words < 30 && PROMO_LINE.test(line.text)) continue;
    // A short question about the article itself asks the reader for a rating or a share.
    if (words < 9 && READER_PROMPT.test(line.text)) continue;
    // A lone word and a colon labels what follows ("Kontakt:", "Quellenangaben:"): no prose of its own.
    if (words === 1 && /[:：]\s*$/.test(line.text)) continue;
    if (words < 15 && STAMP.test(line.text)) continue;
    if (words < 12 && CREDIT_LINE.test(line.text)) continue;
    if (words >= 8 && seen.has(line.text)) continue;
    // Before the story starts, short lines are kickers, date lines and bylines.
    if (out.length === 0 && !line.heading && words < 8) continue;
    // A list of short items that link nowhere is the story's (ingredients, specifications); short
    // links in a list are navigation.
    if (line.item && words < 4 && line.linkChars > 0) continue;
    seen.add(line.text);
    out.push(line.text);
  }
  // Trailing short lines are usually credits, tags or "Share" leftovers; trailing sign-up boxes,
  // citations and copyright notices are the site's, not the story's.
  const trailing = (line: string) => wordCount(line) < 4 || (wordCount(line) < 60 && TRAILER.test(line));
  while (out.length > 1 && trailing(out[out.length - 1]!)) out.pop();
  return out.join('\n\n');
}

/** The declared text is taken when it has at least this many times the words read from the page, and 20 more. */
const DECLARED_SHARE = 1.2;

/**
 * The story as the page's JSON-LD declares it when the page shows only part of it (a teaser, a
 * paywall, paragraphs loaded later): the declared text is longer and opens the way the read text
 * does. Paragraphs whose tags were stripped ("drives.As AnandTech") are split again.
 */
export function fullerBody(read: string, declared: string | null): string {
  if (!declared) return read;
  const paragraphs = declared
    .split(/\n+|(?<=\p{Ll}{2}[.!?])(?=\p{Lu}\p{Ll})/u)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  if (wordCount(paragraphs) < DECLARED_SHARE * wordCount(read) + 20) return read;
  const opening = read.split('\n\n')[0]!.replace(/\s+/g, ' ').slice(0, 60);
  return paragraphs.replace(/\s+/g, ' ').includes(opening) ? paragraphs : read;
}

export function countWords(text: string): number {
  return wordCount(text);
}
