// Bytes to text by the web's rules: declarations first (BOM, Content-Type, <meta>, the XML
// declaration), then valid UTF-8 as UTF-8, then the detector for legacy encodings.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtmlBytes, decodeXmlBytes } from '../../src/shared/text/decode.js';

const page = (title: string, paragraph: string, head = '') =>
  `<!doctype html><html><head>${head}<title>${title}</title></head><body><article><h1>${title}</h1><p>${paragraph}</p><p>${paragraph}</p></article></body></html>`;

// Text in each language, written for this test, long enough for a detector's statistics.
const STORIES: Record<string, [string, string]> = {
  'windows-1251': [
    'Лавров прибыл в Пекин',
    'Министр иностранных дел России Сергей Лавров прибыл в Пекин, где проведёт переговоры с китайскими коллегами о торговле и безопасности.',
  ],
  'KOI8-R': [
    'Лавров прибыл в Пекин',
    'Министр иностранных дел России Сергей Лавров прибыл в Пекин, где проведёт переговоры с китайскими коллегами о торговле и безопасности.',
  ],
  GBK: ['习近平会见拉夫罗夫', '国家主席习近平在北京会见俄罗斯外交部长拉夫罗夫，双方就乌克兰问题和双边贸易交换了意见。'],
  Big5: ['習近平會見拉夫羅夫', '國家主席習近平在北京會見俄羅斯外交部長拉夫羅夫，雙方就烏克蘭問題和雙邊貿易交換了意見。'],
  Shift_JIS: ['首相がキーウを訪問', '首相は火曜日にキーウを訪れ、ウクライナの大統領と復興支援や安全保障について会談しました。'],
  'EUC-KR': ['대통령 키이우 방문', '대통령은 화요일 키이우를 방문해 우크라이나 대통령과 재건 지원과 안보 협력에 대해 회담했다.'],
  'windows-1250': [
    'Premiér jednal v Praze',
    'Předseda vlády se v úterý sešel s prezidentem na Pražském hradě; hovořili o rozpočtu, dálnicích a přístavech.',
  ],
  'windows-1256': [
    'لافروف يصل إلى بكين',
    'وصل وزير الخارجية الروسي سيرغي لافروف إلى بكين لإجراء محادثات مع نظيره الصيني حول التجارة والأمن.',
  ],
};

describe('HTML bytes that declare no encoding', () => {
  it('reads valid UTF-8 as UTF-8 (a Russian page is not mojibake)', () => {
    const bytes = Buffer.from(page(...STORIES['windows-1251']!), 'utf8');
    const decoded = decodeHtmlBytes(bytes, 'text/html');
    expect(decoded).toMatchObject({ encoding: 'UTF-8', source: 'utf-8' });
    expect(decoded.text).toContain('<title>Лавров прибыл в Пекин</title>');
  });

  it.each(Object.entries(STORIES))('detects %s', (encoding, [title, paragraph]) => {
    const bytes = iconv.encode(page(title, paragraph), encoding);
    const decoded = decodeHtmlBytes(bytes, 'text/html');
    expect(decoded.source).toBe('detected');
    expect(decoded.text).toContain(`<title>${title}</title>`);
    expect(decoded.text).toContain(paragraph);
  });

  it('falls back to windows-1252 for Western text, as browsers do', () => {
    const bytes = iconv.encode(
      page('Außenminister in München', 'Der Außenminister traf sich in München mit seinem Amtskollegen – café, naïve, Müller.'),
      'windows-1252',
    );
    const decoded = decodeHtmlBytes(bytes);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toContain('Außenminister in München');
    expect(decoded.text).toContain('Amtskollegen – café');
  });
});

describe('HTML bytes that declare an encoding', () => {
  const [title, paragraph] = STORIES['windows-1251']!;
  it('follows <meta charset>, then Content-Type over <meta>, then a BOM over both', () => {
    const meta = iconv.encode(page(title, paragraph, '<meta charset="windows-1251">'), 'windows-1251');
    expect(decodeHtmlBytes(meta)).toMatchObject({ encoding: 'windows-1251', source: 'meta' });
    const koi = iconv.encode(page(title, paragraph, '<meta charset="windows-1251">'), 'koi8-r');
    const byHeader = decodeHtmlBytes(koi, 'text/html; charset=KOI8-R');
    expect(byHeader).toMatchObject({ encoding: 'KOI8-R', source: 'content-type' });
    expect(byHeader.text).toContain(title);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(title, paragraph, '<meta charset="windows-1251">'))]);
    const byBom = decodeHtmlBytes(bom, 'text/html; charset=KOI8-R');
    expect(byBom).toMatchObject({ encoding: 'UTF-8', source: 'bom' });
    expect(byBom.text.startsWith('<!doctype')).toBe(true);
    expect(byBom.text).toContain(title);
  });
});

describe('UTF-8 under a stale declaration', () => {
  it('reads valid UTF-8 as UTF-8 when <meta> or Content-Type names a legacy encoding (a page saved as UTF-8)', () => {
    for (const [encoding, [title, paragraph]] of Object.entries(STORIES)) {
      const bytes = Buffer.from(page(title, paragraph, `<meta http-equiv="content-type" content="text/html;charset=${encoding}">`));
      const byMeta = decodeHtmlBytes(bytes);
      expect(byMeta, encoding).toMatchObject({ encoding: 'UTF-8', source: 'utf-8-over-declared' });
      expect(byMeta.text).toContain(paragraph);
      expect(decodeHtmlBytes(Buffer.from(page(title, paragraph)), `text/html; charset=${encoding}`).text).toContain(paragraph);
    }
  });

  it('still follows the declaration for bytes in it, and for plain ASCII', () => {
    for (const [encoding, [title, paragraph]] of Object.entries(STORIES)) {
      const bytes = iconv.encode(page(title, paragraph, `<meta charset="${encoding}">`), encoding);
      const decoded = decodeHtmlBytes(bytes);
      expect(decoded.source, encoding).toBe('meta');
      expect(decoded.text).toContain(paragraph);
    }
    expect(decodeHtmlBytes(Buffer.from(page('Talks', 'Plain text.', '<meta charset="koi8-r">')))).toMatchObject({
      source: 'meta',
      encoding: 'KOI8-R',
    });
  });

  it('reads a UTF-8 feed whose XML declaration says ISO-8859-1 as UTF-8', () => {
    const bytes = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Müller in Köln</title></item></channel></rss>',
    );
    expect(decodeXmlBytes(bytes)).toMatchObject({ encoding: 'UTF-8', source: 'utf-8-over-declared' });
    expect(decodeXmlBytes(bytes).text).toContain('Müller in Köln');
  });
});

describe('XML bytes (feeds, sitemaps)', () => {
  const feed = (decl: string) =>
    `${decl}<rss version="2.0"><channel><item><title>Müller trifft Ministerin in Köln</title></item></channel></rss>`;

  it('reads undeclared XML as UTF-8, not as HTML’s windows-1252', () => {
    const decoded = decodeXmlBytes(Buffer.from(feed('')), 'application/xml');
    expect(decoded.text).toContain('Müller trifft Ministerin in Köln');
    expect(decoded.encoding).toBe('UTF-8');
  });

  it('follows the XML declaration, also after leading whitespace, over the Content-Type charset', () => {
    const bytes = iconv.encode(`\n  ${feed('<?xml version="1.0" encoding="ISO-8859-1"?>')}`, 'latin1');
    const decoded = decodeXmlBytes(bytes, 'text/xml; charset=utf-8');
    expect(decoded).toMatchObject({ source: 'xml-declaration', encoding: 'windows-1252' });
    expect(decoded.text).toContain('Müller trifft Ministerin in Köln');
  });

  it('uses the Content-Type charset when there is no declaration, and a BOM over everything', () => {
    const bytes = iconv.encode(feed(''), 'windows-1251');
    expect(decodeXmlBytes(bytes, 'application/rss+xml; charset=windows-1251').source).toBe('content-type');
    const utf16 = iconv.encode(feed('<?xml version="1.0" encoding="UTF-16"?>'), 'utf-16le', { addBOM: true });
    const decoded = decodeXmlBytes(utf16, 'text/xml; charset=windows-1251');
    expect(decoded).toMatchObject({ source: 'bom', encoding: 'UTF-16LE' });
    expect(decoded.text).toContain('Müller');
  });
});
