// The single place HTML is parsed: html-tree builds the tree htmlparser2 would (forgiving of broken
// markup, several times faster than parse5 on news pages) in half its time, and cheerio queries it.
import * as cheerio from 'cheerio';
import { isAscii, isUtf8, transcode } from 'node:buffer';
import { decodeBuffer, getEncoding } from 'encoding-sniffer';
import { parseDocument } from './html-tree/parse-document.js';

export type Document = cheerio.CheerioAPI;

/** Parse a page for cheerio: only through readHtml, which lets the tree go afterwards. */
function parseHtml(html: string): Document {
  return cheerio.load(parseDocument(html), { xml: { xmlMode: false, decodeEntities: true } });
}

/**
 * Parse a page, `read` it, and let its tree go: the root is emptied when `read` returns or throws.
 * cheerio.load defines a class for every page, and what it loaded stays reachable from the old
 * generation until the next full collection, so each scavenge would copy the whole tree, then
 * promote it: most of what the workers' garbage collector copied. An empty root leaves the old
 * generation holding a node, not the page, and the tree dies young (bench:pipeline shows the
 * difference in CPU per article).
 */
export function readHtml<T>(html: string, read: ($: Document) => T): T {
  const $ = parseHtml(html);
  try {
    return read($);
  } finally {
    $.root()[0]!.children = [];
  }
}

/** Whether this Node.js has ICU, which `transcode` needs (official builds do). */
const CAN_TRANSCODE = process.versions.icu !== undefined;

/**
 * Bytes to text by the WHATWG rules: BOM, then the Content-Type charset, then a
 * `<meta charset>` prescan, else windows-1252.
 */
export function decodeHtml(bytes: Buffer, contentType?: string): string {
  const label = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  const options = label ? { transportLayerEncodingLabel: label } : {};
  // Nearly every page: valid UTF-8 without a BOM. Its text is then fixed, whatever decodes it, and
  // a native check and conversion to UTF-16 take two thirds of the general decoder's time; anything
  // else (a BOM to strip, malformed bytes to replace, another encoding) takes the general way.
  if (CAN_TRANSCODE && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) && getEncoding(bytes, options) === 'UTF-8') {
    if (isAscii(bytes)) return bytes.toString('latin1');
    if (isUtf8(bytes)) return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
  }
  return decodeBuffer(bytes, options);
}
