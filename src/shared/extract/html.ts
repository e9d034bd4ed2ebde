// The single place HTML is parsed. htmlparser2 backend: on real news pages it parses several
// times faster than parse5 and is forgiving of broken markup.
import * as cheerio from 'cheerio';
import { decodeBuffer } from 'encoding-sniffer';

export type Document = cheerio.CheerioAPI;

export function parseHtml(html: string): Document {
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

/**
 * Bytes to text by the WHATWG rules: BOM, then the Content-Type charset, then a
 * `<meta charset>` prescan, else windows-1252.
 */
export function decodeHtml(bytes: Buffer, contentType?: string): string {
  const label = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  return decodeBuffer(bytes, label ? { transportLayerEncodingLabel: label } : {});
}
