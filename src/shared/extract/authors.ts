// Author strings as pages write them ("By Jane Doe and John Roe, Staff Writer") to names.

const ROLE = /\b(staff|senior|chief|correspondent|reporter|editor|writer|contributor|columnist|journalist|bureau|news desk|desk|redakteur(in)?|korrespondent(in)?)\b.*$/i;
const BY = /^\s*(by|from|von|par|por|di|door|av|af)\b\s*:?\s*/i;
/** Lines that are labels, not names. */
const NOT_A_NAME = /^(by|von|from|par|por|quelle|source|foto|photo|photos|image|bild|text|update[sd]?|published|posted)\s*:?$/i;
/** News agencies are credited as authors; they are short and often lower-case ("dpa"). */
const AGENCIES = new Set(['ap', 'afp', 'dpa', 'reuters', 'apa', 'sid', 'kna', 'epd', 'ansa', 'efe', 'pa', 'xinhua', 'tass', 'ria', 'upi', 'aap', 'ats', 'sda', 'belga', 'anp', 'ritzau', 'ntb', 'tt', 'stt', 'ctk', 'pap', 'mti', 'ana', 'kyodo', 'yonhap', 'bernama', 'pti', 'ians']);

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

/**
 * Split, clean and de-duplicate author strings. Drops the site's own name (an organisation is
 * not a person) and anything that does not look like a name; keeps news agencies.
 */
export function cleanAuthors(candidates: Array<string | null | undefined>, siteName: string | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const site = siteName?.toLowerCase().trim();
  for (const candidate of candidates) {
    if (!candidate) continue;
    const parts = candidate.replace(BY, '').split(/\s*(?:,|;|\||&|\/|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\ben\b)\s*/i);
    for (const part of parts) {
      const name = cleanOne(part);
      if (!name) continue;
      const key = name.toLowerCase();
      if (key === site || seen.has(key)) continue;
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}
