// The single place HTML is parsed: html-tree builds the tree htmlparser2 would (forgiving of broken
// markup, several times faster than parse5 on news pages) in half its time, and cheerio queries it.
import * as cheerio from 'cheerio';
import { decodeBuffer } from 'encoding-sniffer';
import { parseDocument } from './html-tree.js';

export type Document = cheerio.CheerioAPI;

export function parseHtml(html: string): Document {
  return cheerio.load(parseDocument(html), { xml: { xmlMode: false, decodeEntities: true } });
}

/**
 * Bytes to text by the WHATWG rules: BOM, then the Content-Type charset, then a
 * `<meta charset>` prescan, else windows-1252.
 */
export function decodeHtml(bytes: Buffer, contentType?: string): string {
  const label = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  return decodeBuffer(bytes, label ? { transportLayerEncodingLabel: label } : {});
}
