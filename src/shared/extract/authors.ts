// Author strings as pages write them ("By Jane Doe and John Roe, Staff Writer") to names.

const ROLE =
  /\b(staff|senior|chief|correspondent|reporter|editor|writer|contributor|columnist|journalist|bureau|news desk|desk|redakteur(in)?|korrespondent(in)?)\b.*$/i;
const BY = /^\s*(by|from|von|par|por|di|door|av|af)(?![\p{L}\p{N}])\s*:?\s*/iu;
/** Lines that are labels, not names. */
const NOT_A_NAME = /^(by|von|from|par|por|quelle|source|foto|photo|photos|image|bild|text|update[sd]?|published|posted)\s*:?$/i;
/** News agencies are credited as authors; they are short and often lower-case ("dpa"). */
const AGENCIES = new Set([
  'ap',
  'afp',
  'dpa',
  'reuters',
  'apa',
  'sid',
  'kna',
  'epd',
  'ansa',
  'efe',
  'pa',
  'xinhua',
  'tass',
  'ria',
  'upi',
  'aap',
  'ats',
  'sda',
  'belga',
  'anp',
  'ritzau',
  'ntb',
  'tt',
  'stt',
  'ctk',
  'pap',
  'mti',
  'ana',
  'kyodo',
  'yonhap',
  'bernama',
  'pti',
  'ians',
]);

const CREDIT = /^\W*(image|images|photo|photos|foto|fotos|bild|picture|credit|illustration)s?\s*:/i;

/**
 * Between names: punctuation or a conjunction (and, und, et, y, e, og, en) standing as a word —
 * a Unicode-aware word edge, or "Eßlinger" would split at its "E".
 */
const SEPARATOR = /\s*(?:,|;|\||&|\/|(?<![\p{L}\p{N}])(?:and|und|et|y|e|og|en)(?![\p{L}\p{N}]))\s*/iu;

/** A letter of a script without case (CJK, Thai, Arabic…) stands in for the capital a Latin name has. */
const NAME_LIKE = /[\p{Lu}\p{Lo}]/u;

function cleanOne(raw: string): string | null {
  let name = raw
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    // Share and follow links inside a byline box ("Sarah LazareTwitter", "Twitter Facebook").
    .replace(/(Twitter|Facebook|Instagram|LinkedIn|WhatsApp|Bluesky|Threads|Mastodon|E-?Mail)(?![\p{Ll}]).*$/u, ' ')
    .replace(/\([^)]{0,30}\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(BY, '')
    .replace(ROLE, '')
    // Roles written after the name in Korean, Japanese and Chinese bylines ("신현주 기자").
    .replace(/\s*(기자|특파원|논설위원|記者|特派員|编辑|編集委員)\s*$/u, '')
    .replace(/^[\s,;|/:-]+|[\s,;|/:-]+$/g, '')
    .trim();
  if (AGENCIES.has(name.toLowerCase())) return name;
  if (name.length < 2 || name.length > 60 || NOT_A_NAME.test(name) || /[*?!]/.test(name)) return null;
  if (!NAME_LIKE.test(name)) return null;
  if (name.split(' ').length > 5) return null;
  if (/\d/.test(name)) return null;
  name = name.replace(/\s+/g, ' ');
  return name;
}

const DOMAIN = /(?:^|[\s(])(?:www\.)?[\w-]+\.[a-z]{2,24}(?:[\s)/]|$)/i;

/** Lower case, letters and digits only: "Legal Tribune Online" → "legaltribuneonline". */
export const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Whether a name is the site's own rather than a person's: the site name ("Legal Tribune
 * Online"), squashed or without its domain ending ("vnexpress.net" → "vnexpress"), its initials
 * ("LTO"), or one of its desks ("MDR THÜRINGEN" on mdr.de).
 */
function siteMatcher(siteName: string | null): (name: string) => boolean {
  const site = siteName?.toLowerCase().trim();
  if (!site) return () => false;
  const bare = site.replace(/\.[a-z]{2,3}$/, '');
  const words = site.split(/[\s.]+/).filter(Boolean);
  const forms = new Set(
    [squash(site), squash(bare), words.length >= 2 ? words.map((w) => w[0]).join('') : ''].filter((f) => f.length >= 2),
  );
  const desk = site.includes(' ') ? null : bare;
  return (name) => {
    const key = name.toLowerCase();
    return forms.has(squash(key)) || (desk !== null && key.split(' ')[0] === desk);
  };
}

/**
 * Split, clean and de-duplicate author strings. Drops the site's own name (an organisation is
 * not a person) and anything that does not look like a name; keeps news agencies.
 */
export function cleanAuthors(candidates: Array<string | null | undefined>, siteName: string | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const isSite = siteMatcher(siteName);
  for (const candidate of candidates) {
    // Picture credits sit in author fields too ("(Image: Getty Images/iStockphoto)").
    if (!candidate || CREDIT.test(candidate)) continue;
    let parts = candidate.replace(BY, '').split(SEPARATOR);
    // A web address names an organisation ("hessenschau.de, Frankfurt, Germany"): beside it,
    // only a full name is a person ("Jane Doe, professor at …, Example.com").
    if (parts.some((p) => DOMAIN.test(p))) parts = parts.filter((p) => !DOMAIN.test(p) && /\S\s+\S/.test(p.trim()));
    for (const part of parts) {
      const name = cleanOne(part);
      if (!name) continue;
      const key = name.toLowerCase();
      if (seen.has(key) || isSite(name)) continue;
      seen.add(key);
      out.push(name);
    }
  }
  // "Von Anna Muster, Frankfurt": beside a full name, a lone Latin word is the dateline's place.
  return out.some((n) => n.includes(' '))
    ? out.filter((n) => n.includes(' ') || !/^\p{Script=Latin}+$/u.test(n) || AGENCIES.has(n.toLowerCase()))
    : out;
}
