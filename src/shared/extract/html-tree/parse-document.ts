// A one-pass HTML parser that builds the same domhandler tree as htmlparser2 10 in HTML mode
// (`parseDocument(html)`, entities decoded) — the tree cheerio and the extractor read — but scans
// with indexOf and tight loops instead of a callback per character and per token: on real news
// pages most characters are markup, inline script, style and SVG that extraction never reads.
// tests/unit/html-tree.test.ts holds it to htmlparser2's tree, node for node, on pages, on odd
// constructs, on seeded random markup and on markup cut at every length. This file reads the
// markup; tree-builder.ts builds the tree from what it reads.
import type { Document } from 'domhandler';
import { decodeHTML, decodeHTMLAttribute } from 'entities/decode';
import { TreeBuilder } from './tree-builder.js';

const LT = 60,
  GT = 62,
  SLASH = 47,
  EQ = 61,
  AMP = 38,
  BANG = 33,
  QUESTION = 63,
  DASH = 45,
  DQ = 34,
  SQ = 39;

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
const endsTagSection = (c: number) => c === SLASH || c === GT || isSpace(c);
const isAlpha = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * Raw-text elements, as htmlparser2 recognises them: by the first two letters of the tag name
 * (`s`+`c`, `s`+`t`; `t` or `x` + `i`, `e`, `m`), the rest of the closing tag's name, matched
 * without case, and then the end of the name. Only <title> decodes entities inside.
 */
function rawTextEnd(html: string, nameStart: number): string | null {
  const end = rawTextCandidate(html, nameStart);
  if (end === null || !restOfNameMatches(html, nameStart, end, end.length)) return null;
  const after = nameStart + end.length - 2;
  return after < html.length && endsTagSection(html.charCodeAt(after)) ? end : null;
}

/** Whether the name's letters after its first two match `end`'s (`</` + name), without case, below index `stop`. */
function restOfNameMatches(html: string, nameStart: number, end: string, stop: number): boolean {
  for (let k = 4; k < stop; k++) if ((html.charCodeAt(nameStart + k - 2) | 0x20) !== end.charCodeAt(k)) return false;
  return true;
}

/** The closing tag the first two letters of a name point to, or null. */
function rawTextCandidate(html: string, nameStart: number): string | null {
  const c0 = html.charCodeAt(nameStart) | 0x20;
  const c1 = html.charCodeAt(nameStart + 1) | 0x20;
  if (c0 === 115) return c1 === 99 ? '</script' : c1 === 116 ? '</style' : null;
  if (c0 === 116 || c0 === 120) return c1 === 105 ? '</title' : c1 === 101 ? '</textarea' : c1 === 109 ? '</xmp' : null;
  return null;
}

/**
 * Lower-cased tag and attribute names, kept from page to page: a page repeats a few dozen names
 * thousands of times, and a name found here costs no new string. Shared by every parse; bounded.
 */
const names = new Array<string | undefined>(4096);

/** `html.slice(start, end).toLowerCase()`. */
function lowerName(html: string, start: number, end: number): string {
  if (end - start > 40) return html.slice(start, end).toLowerCase();
  let h = end - start;
  for (let k = start; k < end; k++) {
    let c = html.charCodeAt(k);
    if (c > 127) return html.slice(start, end).toLowerCase(); // Unicode case rules: not worth keeping
    if (c >= 65 && c <= 90) c |= 0x20;
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = (h ^ (h >>> 13)) & 4095;
  const known = names[slot];
  if (known !== undefined && known.length === end - start) {
    let k = 0;
    for (; k < known.length; k++) {
      let c = html.charCodeAt(start + k);
      if (c >= 65 && c <= 90) c |= 0x20;
      if (c !== known.charCodeAt(k)) break;
    }
    if (k === known.length) return known;
  }
  let name = '';
  for (let k = start; k < end; k++) {
    const c = html.charCodeAt(k);
    name += String.fromCharCode(c >= 65 && c <= 90 ? c | 0x20 : c);
  }
  names[slot] = name;
  return name;
}

/** Text of a run, entities decoded. */
function decodedText(html: string, start: number, end: number): string {
  const raw = html.slice(start, end);
  return raw.indexOf('&') === -1 ? raw : decodeHTML(raw);
}

/** Parse a whole page into a domhandler Document. */
export function parseDocument(html: string): Document {
  const tree = new TreeBuilder();
  const n = html.length;
  /** Where the current run of text began. */
  let textStart = 0;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      if (textStart < n) tree.text(decodedText(html, textStart, n));
      return tree.root;
    }
    if (lt > textStart) tree.text(decodedText(html, textStart, lt));
    textStart = lt;
    if (lt + 1 >= n) {
      tree.text('<');
      return tree.root;
    }
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      const next = startTag(html, lt + 1, tree);
      if (next < 0) return tree.root;
      i = textStart = next;
    } else if (c === SLASH) {
      const next = endTag(html, lt, tree);
      if (next === -2) return tree.root;
      if (next === -1) {
        i = lt + 2; // `</>` and `</ >` stay text
        continue;
      }
      i = textStart = next;
    } else if (c === BANG) {
      const next = declaration(html, lt, tree);
      if (next < 0) return tree.root;
      i = textStart = next;
    } else if (c === QUESTION) {
      const gt = html.indexOf('>', lt + 2);
      if (gt === -1) {
        tree.text(html.slice(lt + 2));
        return tree.root;
      }
      const value = html.slice(lt + 2, gt);
      tree.instruction(`?${instructionName(value)}`, `?${value}`);
      i = textStart = gt + 1;
    } else {
      i = lt + 1; // a `<` that starts no tag is text
    }
  }
}

function instructionName(value: string): string {
  const end = value.search(/\s|\//);
  return (end < 0 ? value : value.slice(0, end)).toLowerCase();
}

/**
 * A start tag whose name begins at `at`; returns where text resumes, or -1 at the end of the input
 * (having added what htmlparser2 adds there).
 */
function startTag(html: string, at: number, tree: TreeBuilder): number {
  const n = html.length;
  let p = at + 1;
  while (p < n && !endsTagSection(html.charCodeAt(p))) p++;
  // Only whole names reach the tree; at the end of the input a name that would start raw text
  // is kept as text (htmlparser2's order of states), any other unfinished name is dropped.
  if (p >= n) {
    if (rawTextPrefix(html, at)) tree.text(html.slice(at));
    return -1;
  }
  const name = lowerName(html, at, p);
  const rawEnd = rawTextEnd(html, at);
  const kind = tree.openName(name);
  const attribs: Record<string, string> = {};
  // Attributes: the first of a name wins; `/` separates like white space, and `/>` self-closes.
  for (;;) {
    let c = html.charCodeAt(p);
    while (p < n && isSpace(c)) c = html.charCodeAt(++p);
    if (p >= n) return -1;
    if (c === GT) break;
    if (c === SLASH) {
      p++;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      if (p >= n) {
        tree.text(html.slice(-1));
        return -1;
      }
      if (html.charCodeAt(p) === GT) {
        // `/>` ends even a raw-text element's start tag: what follows is markup again.
        tree.openElement(name, kind, attribs, true);
        return p + 1;
      }
      continue;
    }
    const nameStart = p;
    p++; // the first character may be anything, `=` included
    while (p < n && !(html.charCodeAt(p) === EQ || endsTagSection(html.charCodeAt(p)))) p++;
    if (p >= n) return -1;
    const attrName = lowerName(html, nameStart, p);
    while (p < n && isSpace(html.charCodeAt(p))) p++;
    if (p >= n) return -1;
    let value = '';
    if (html.charCodeAt(p) === EQ) {
      p++;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      if (p >= n) return -1;
      const q = html.charCodeAt(p);
      if (q === DQ || q === SQ) {
        const close = html.indexOf(q === DQ ? '"' : "'", p + 1);
        if (close === -1) return -1;
        value = attributeValue(html, p + 1, close);
        p = close + 1;
      } else {
        const start = p;
        while (p < n && !(isSpace(html.charCodeAt(p)) || html.charCodeAt(p) === GT)) p++;
        if (p >= n) return -1;
        value = attributeValue(html, start, p);
      }
    }
    if (!Object.hasOwn(attribs, attrName)) attribs[attrName] = value;
  }
  tree.openElement(name, kind, attribs, false);
  return rawEnd === null ? p + 1 : rawText(html, p + 1, rawEnd, tree);
}

/** Whether the unfinished name at `at` got as far as htmlparser2's raw-text states. */
function rawTextPrefix(html: string, at: number): boolean {
  const c0 = html.charCodeAt(at) | 0x20;
  if (c0 !== 115 && c0 !== 116 && c0 !== 120) return false;
  if (at + 1 >= html.length) return true;
  const end = rawTextCandidate(html, at);
  // Still matching the rest of the name when the input ran out (`stop`: as far as it got).
  const stop = html.length - at + 2;
  return end !== null && stop <= end.length && restOfNameMatches(html, at, end, stop);
}

/**
 * An attribute's value, entities decoded. The decoder is shown the character that ends the value
 * (a quote, white space or `>`), as the tokenizer's is: it decides whether `&notin` is "¬in".
 */
function attributeValue(html: string, start: number, end: number): string {
  const raw = html.slice(start, end);
  return raw.indexOf('&') === -1 ? raw : decodeHTMLAttribute(raw + html[end]).slice(0, -1);
}

/**
 * The content of a raw-text element from `from` to its closing tag (`end`, then `>` or white
 * space); returns where text resumes, or -1 at the end of the input.
 */
function rawText(html: string, from: number, end: string, tree: TreeBuilder): number {
  const n = html.length;
  const title = end === '</title';
  let seq = 0;
  /** <title> only: `&` that come right after a partial `</title` and so stay as they are. */
  let literalAmps: number[] | null = null;
  for (let j = from; j < n; j++) {
    const c = html.charCodeAt(j);
    if (seq === end.length) {
      if (c === GT || isSpace(c)) {
        const textEnd = j - end.length;
        if (textEnd > from) tree.text(title ? titleText(html, from, textEnd, literalAmps) : html.slice(from, textEnd));
        tree.closeName(lowerName(html, textEnd + 2, j));
        if (c === GT) return j + 1;
        const gt = html.indexOf('>', j + 1);
        if (gt !== -1) return gt + 1;
        tree.text(html.slice(-1));
        return -1;
      }
      seq = 0;
    }
    if ((c | 0x20) === end.charCodeAt(seq)) {
      seq++;
    } else if (seq === 0) {
      if (!title) {
        const next = html.indexOf('<', j + 1);
        if (next === -1) break;
        j = next;
        seq = 1;
      }
    } else {
      if (title && c === AMP) (literalAmps ??= []).push(j);
      seq = c === LT ? 1 : 0;
    }
  }
  if (from < n) tree.text(title ? titleText(html, from, n, literalAmps) : html.slice(from));
  return -1;
}

/** A title's text: entities decoded except at `literal` positions. */
function titleText(html: string, start: number, end: number, literal: number[] | null): string {
  if (!literal) return decodedText(html, start, end);
  let out = '';
  let from = start;
  for (const at of literal) {
    if (at >= end) break;
    out += `${decodedText(html, from, at)}&`;
    from = at + 1;
  }
  return out + decodedText(html, from, end);
}

/**
 * `</name…>` at `lt`: returns where text resumes, -1 when `</>` or `</ >` leaves it all as text,
 * -2 at the end of the input.
 */
function endTag(html: string, lt: number, tree: TreeBuilder): number {
  const n = html.length;
  let p = lt + 2;
  while (p < n && isSpace(html.charCodeAt(p))) p++;
  if (p >= n) {
    tree.text(html.slice(lt));
    return -2;
  }
  const c = html.charCodeAt(p);
  if (c === GT) return -1;
  if (!isAlpha(c)) {
    // `</3…>`: a comment up to the next `>`.
    const gt = html.indexOf('>', p + 1);
    if (gt === -1) {
      tree.text(html.slice(p));
      return -2;
    }
    tree.comment(html.slice(p, gt));
    return gt + 1;
  }
  const start = p;
  while (p < n && !(html.charCodeAt(p) === GT || isSpace(html.charCodeAt(p)))) p++;
  if (p >= n) return -2;
  tree.closeName(lowerName(html, start, p));
  if (html.charCodeAt(p) === GT) return p + 1;
  const gt = html.indexOf('>', p + 1);
  if (gt !== -1) return gt + 1;
  tree.text(html.slice(-1));
  return -2;
}

/** `<!…` at `lt`: comment, CDATA (a comment in HTML) or declaration; returns where text resumes, or -1. */
function declaration(html: string, lt: number, tree: TreeBuilder): number {
  const n = html.length;
  const start = lt + 2;
  if (start >= n) return -1;
  const c0 = html.charCodeAt(start);
  let declFrom = start + 1; // where the search for the closing `>` begins
  if (c0 === DASH) {
    if (start + 1 >= n) {
      tree.text(html.slice(start));
      return -1;
    }
    if (html.charCodeAt(start + 1) === DASH) return commentLike(html, start + 2, '-->', 2, tree, false);
    declFrom = start + 2;
  } else if (c0 === 91) {
    // `[CDATA[`, case-sensitive; otherwise a declaration that reconsiders the mismatching character.
    let k = 0;
    for (; k < 6; k++) {
      const at = start + 1 + k;
      if (at >= n) {
        tree.text(html.slice(start));
        return -1;
      }
      if (html.charCodeAt(at) !== 'CDATA['.charCodeAt(k)) break;
    }
    if (k === 6) return commentLike(html, start + 7, ']]>', 0, tree, true);
    declFrom = start + 1 + k;
  }
  const gt = html.indexOf('>', declFrom);
  if (gt === -1) {
    tree.text(html.slice(start));
    return -1;
  }
  const value = html.slice(start, gt);
  tree.instruction(`!${instructionName(value)}`, `!${value}`);
  return gt + 1;
}

/** A comment (or CDATA section) from `from` to `closing`, allowing `<!-->` and `--->`. */
function commentLike(html: string, from: number, closing: string, seqStart: number, tree: TreeBuilder, cdata: boolean): number {
  const n = html.length;
  let seq = seqStart;
  for (let j = from; j < n; j++) {
    const c = html.charCodeAt(j);
    if (c === closing.charCodeAt(seq)) {
      if (++seq === closing.length) {
        const value = html.slice(from, Math.max(from, j - 2));
        tree.comment(cdata ? `[CDATA[${value}]]` : value);
        return j + 1;
      }
    } else if (seq === 0) {
      const next = html.indexOf(closing[0]!, j + 1);
      if (next === -1) break;
      j = next;
      seq = 1;
    } else if (c !== closing.charCodeAt(seq - 1)) {
      seq = 0;
    }
  }
  if (from < n) tree.comment(cdata ? `[CDATA[${html.slice(from)}]]` : html.slice(from));
  return -1;
}
