// Bytes to text, with the web's real rules, for every path that reads bytes: fetched pages,
// `newsline extract` files, feeds and sitemaps.
// - HTML (the WHATWG rules): a BOM, then the Content-Type charset, then a `<meta>` prescan of the
//   first 1,024 bytes. When nothing declares an encoding, bytes that are valid UTF-8 are UTF-8 (as
//   browsers' detectors conclude); other bytes go to a statistical detector (chardet) for the
//   legacy encodings news sites still use, and windows-1252 when it is not confident.
// - Either: a declaration (Content-Type, <meta>, XML) of a legacy encoding yields to bytes that are
//   valid UTF-8 and not plain ASCII. Text in GBK or windows-125x is practically never valid UTF-8,
//   while UTF-8 under a stale declaration is common: pages saved or re-served as UTF-8 that keep
//   their old <meta>, servers whose default charset header is ISO-8859-1. Browsers follow the
//   declaration and show mojibake; a reader of the text wants what the bytes say.
// - XML (feeds, sitemaps): a BOM, then the XML declaration (leading whitespace allowed), then the
//   Content-Type charset; undeclared bytes that are not valid UTF-8 go to the detector; UTF-8 by
//   default.
import { isAscii, isUtf8, transcode } from 'node:buffer';
import chardet from 'chardet';
import { ResultType, Sniffer } from 'encoding-sniffer/sniffer';
import { decode, labelToName } from 'whatwg-encoding';

/** How the encoding was decided. */
export type EncodingSource =
  | 'bom'
  | 'content-type'
  | 'meta'
  | 'xml-declaration'
  | 'utf-8'
  /** Declared otherwise, but the bytes are valid UTF-8 (see the top of this file). */
  | 'utf-8-over-declared'
  | 'detected'
  | 'default';

export interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used, e.g. UTF-8, windows-1251, GBK. */
  encoding: string;
  source: EncodingSource;
}

/** Bytes the detector reads: enough text for its statistics, bounded time on a 5 MB page. */
const DETECT_BYTES = 64 * 1024;
/** chardet's confidence (0–100) below which its guess is not taken. */
const MIN_CONFIDENCE = 20;

/** Whether this Node.js has ICU, which `transcode` needs (official builds do). */
const CAN_TRANSCODE = process.versions.icu !== undefined;

function charsetOf(contentType: string | undefined): string | null {
  const label = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  return label ? labelToName(label) : null;
}

function bomOf(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'UTF-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  return null;
}

/** Text in `encoding`, a leading BOM of it dropped. */
function decodeAs(bytes: Buffer, encoding: string): string {
  if (encoding === 'UTF-8' && bomOf(bytes) === null && CAN_TRANSCODE) {
    // Nearly every page: a native check and conversion take a fraction of the general decoder's time.
    if (isAscii(bytes)) return bytes.toString('latin1');
    if (isUtf8(bytes)) return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
  }
  return decode(bytes, encoding);
}

/** The detector's guess for undeclared bytes that are not UTF-8, as a WHATWG name; null when unsure. */
export function detectEncoding(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, DETECT_BYTES);
  const [best] = chardet.analyse(sample);
  if (!best || best.confidence < MIN_CONFIDENCE) return null;
  const name = labelToName(best.name);
  // chardet names UTF-16/32 for binary-looking bytes; undeclared, those are not text we decode as such.
  return name && !name.startsWith('UTF-16') ? name : null;
}

/** Undeclared bytes: UTF-8 when they are valid UTF-8, else what the detector finds, else `fallback`. */
function undeclared(bytes: Buffer, fallback: string): Decoded {
  if (isUtf8(bytes)) return { text: decodeAs(bytes, 'UTF-8'), encoding: 'UTF-8', source: 'utf-8' };
  const detected = detectEncoding(bytes);
  if (detected) return { text: decodeAs(bytes, detected), encoding: detected, source: 'detected' };
  return { text: decodeAs(bytes, fallback), encoding: fallback, source: 'default' };
}

/** The declared encoding, or UTF-8 when the bytes are valid UTF-8 that a legacy declaration contradicts. */
function declared(bytes: Buffer, encoding: string, source: EncodingSource): Decoded {
  if (encoding !== 'UTF-8' && !encoding.startsWith('UTF-16') && !isAscii(bytes) && isUtf8(bytes)) {
    return { text: decodeAs(bytes, 'UTF-8'), encoding: 'UTF-8', source: 'utf-8-over-declared' };
  }
  return { text: decodeAs(bytes, encoding), encoding, source };
}

const SNIFFED: Partial<Record<ResultType, EncodingSource>> = {
  [ResultType.BOM]: 'bom',
  [ResultType.PASSED]: 'content-type',
  [ResultType.META_TAG]: 'meta',
  [ResultType.XML_PREFIX]: 'bom',
  [ResultType.XML_ENCODING]: 'meta',
};

/** An HTML page's text, and how its encoding was decided. */
export function decodeHtmlBytes(bytes: Buffer, contentType?: string): Decoded {
  const transport = charsetOf(contentType);
  const sniffer = new Sniffer(transport ? { transportLayerEncodingLabel: transport } : {});
  sniffer.write(bytes.subarray(0, 1_024));
  const source = SNIFFED[sniffer.resultType];
  if (source === 'bom') return { text: decodeAs(bytes, sniffer.encoding), encoding: sniffer.encoding, source };
  if (source) return declared(bytes, sniffer.encoding, source);
  return undeclared(bytes, 'windows-1252');
}

/** An HTML page's text. */
export function decodeHtml(bytes: Buffer, contentType?: string): string {
  return decodeHtmlBytes(bytes, contentType).text;
}

/** The encoding an XML declaration names, read after any leading whitespace; null when none. */
function xmlDeclaration(bytes: Uint8Array): string | null {
  // UTF-16 without a BOM announces itself by its first character, `<`, as two bytes.
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return 'UTF-16LE';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return 'UTF-16BE';
  const head = Buffer.from(bytes.subarray(0, 1_024)).toString('latin1').trimStart();
  const declared = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  return declared ? labelToName(declared) : null;
}

/** A feed's or sitemap's text, and how its encoding was decided. */
export function decodeXmlBytes(bytes: Buffer, contentType?: string): Decoded {
  const bom = bomOf(bytes);
  if (bom) return { text: decodeAs(bytes, bom), encoding: bom, source: 'bom' };
  const inDocument = xmlDeclaration(bytes);
  if (inDocument) return declared(bytes, inDocument, 'xml-declaration');
  const transport = charsetOf(contentType);
  if (transport) return declared(bytes, transport, 'content-type');
  return undeclared(bytes, 'UTF-8');
}

/** A feed's or sitemap's text. */
export function decodeXml(bytes: Buffer, contentType?: string): string {
  return decodeXmlBytes(bytes, contentType).text;
}
