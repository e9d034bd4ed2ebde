// Author strings as pages write them ("By Jane Doe and John Roe, Staff Writer") to names.

const ROLE = /\b(staff|senior|chief|correspondent|reporter|editor|writer|contributor|columnist|journalist|bureau|news desk|desk)\b.*$/i;
const BY = /^\s*(by|from|von|par|por|di)\s*[:\-]?\s+/i;

function cleanOne(raw: string): string | null {
  let name = raw
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(BY, '')
    .replace(ROLE, '')
    .replace(/^[\s,;|/-]+|[\s,;|/-]+$/g, '')
    .trim();
  if (name.length < 3 || name.length > 60) return null;
  if (!/\p{Lu}/u.test(name)) return null;
  if (name.split(' ').length > 5) return null;
  if (/\d/.test(name)) return null;
  name = name.replace(/\s+/g, ' ');
  return name;
}

/**
 * Split, clean and de-duplicate author strings. Drops the site's own name (an organisation is
 * not a person) and anything that does not look like a name.
 */
export function cleanAuthors(candidates: Array<string | null | undefined>, siteName: string | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const site = siteName?.toLowerCase().trim();
  for (const candidate of candidates) {
    if (!candidate) continue;
    const parts = candidate.replace(BY, '').split(/\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*/i);
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
