// Entities of one article — who and where it mentions, with canonical ids — and the countries it
// is about. Mentions in the title and the lead weigh more than later ones; a country named
// outright counts more than one implied by a demonym, a capital, a person or a city.
import { disambiguate, type Context } from './disambiguate.js';
import type { EntityMention } from './entity.js';
import type { GazetteerEntry } from './gazetteer.js';
import { tokenize, type EntityMatcher, type Token, type Via } from './matcher.js';

export interface TagInput {
  title?: string | null;
  body: string;
  /** A dateline ("MOSCOW, March 3 -"), when the source keeps it apart from the body. */
  dateline?: string | null;
}

export interface TagResult {
  entities: EntityMention[];
  /** ISO codes (historic codes for states that are gone) of every country mentioned or implied. */
  countries: string[];
  /** Countries the text names outright (by a name or an abbreviation, not an adjective, a capital or a person). */
  named: string[];
  /** The few countries the story is about, most central first. */
  focus: string[];
}

const VIA_WEIGHT: Record<Via, number> = { name: 1, demonym: 0.7, capital: 0.8, surname: 1 };
/** How much a mention of something in a country says about the country. */
const IMPLIED_WEIGHT: Record<string, number> = { country: 1, person: 0.6, place: 0.7, organization: 0.4 };
const TITLE_WEIGHT = 3;
const DATELINE_WEIGHT = 3;
const LEAD_WEIGHT = 2;

/** Focus: countries scoring at least this share of the top country, at most MAX_FOCUS of them. */
const FOCUS_SHARE = 0.5;
const MAX_FOCUS = 4;

/** Headlines and datelines written (partly) in capitals: "BAHIA COCOA REVIEW", "NEW YORK, Feb 26". */
function shouty(text: string): boolean {
  return /\b\p{Lu}{3,}\b/u.test(text);
}

const isCapitalWord = (text: string) => /^\p{Lu}{2,}$/u.test(text);

/**
 * A segment's tokens split into ranges, each matched in its own case mode: runs of two or more
 * words in capitals inside running text ("ETIOPIA - ERITREA EL GRAN CONSEJO", a kicker or a
 * headline the body repeats) are read regardless of case, the rest as written — so a lone acronym
 * ("ELN", "IT") is only ever read as written.
 */
function capitalRuns(tokens: Token[], from: number, to: number): Array<{ from: number; to: number; foldCase: boolean }> {
  const ranges: Array<{ from: number; to: number; foldCase: boolean }> = [];
  let plain = from;
  for (let i = from; i < to; ) {
    let j = i;
    while (j < to && isCapitalWord(tokens[j]!.text)) j++;
    if (j - i >= 2 && tokens.slice(i, j).some((t) => t.text.length >= 4)) {
      if (plain < i) ranges.push({ from: plain, to: i, foldCase: false });
      ranges.push({ from: i, to: j, foldCase: true });
      plain = j;
    }
    i = Math.max(j, i + 1);
  }
  if (plain < to) ranges.push({ from: plain, to, foldCase: false });
  return ranges;
}

interface Segment {
  text: string;
  weight: number;
  /** Where the segment starts in `title + "\n\n" + body`; null for text outside it (the dateline). */
  base: number | null;
  /** Match regardless of case (a headline or dateline in capitals). */
  foldCase: boolean;
}

/** A dateline opening the body: "MOSCOW, March 3 (Reuters) -", "BEIJING —". */
const INLINE_DATELINE = /^\s*(\p{Lu}[\p{Lu} .'-]{2,40})(?:,|\s+[-—–(])/u;

function segments(input: TagInput): Segment[] {
  const out: Segment[] = [];
  const inline = input.dateline ? null : INLINE_DATELINE.exec(input.body)?.[1];
  const title = input.title?.trim() ? input.title : null;
  const bodyBase = title ? title.length + 2 : 0;
  if (title) out.push({ text: title, weight: TITLE_WEIGHT, base: 0, foldCase: shouty(title) });
  if (input.dateline?.trim()) out.push({ text: input.dateline, weight: DATELINE_WEIGHT, base: null, foldCase: shouty(input.dateline) });
  // An inline dateline counts as one, and is then read again as part of the lead.
  if (inline) out.push({ text: inline, weight: DATELINE_WEIGHT - LEAD_WEIGHT, base: null, foldCase: true });
  const split = input.body.search(/\n\s*\n/);
  const leadEnd = split > 0 ? split : Math.min(input.body.length, 400);
  out.push({ text: input.body.slice(0, leadEnd), weight: LEAD_WEIGHT, base: bodyBase, foldCase: false });
  out.push({ text: input.body.slice(leadEnd), weight: 1, base: bodyBase + leadEnd, foldCase: false });
  return out;
}

export function tagArticle(matcher: EntityMatcher, input: TagInput): TagResult {
  const segs = segments(input);
  const whole = segs.map((s) => s.text).join('\n\n');
  const tokens = tokenize(whole);
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
  // Segment boundaries in `whole`, to match each in its own case mode and weigh its matches.
  const starts: number[] = [];
  let at = 0;
  for (const s of segs) {
    starts.push(at);
    at += s.text.length + 2;
  }
  const matches = segs.flatMap((s, i) => {
    const from = tokens.findIndex((t) => t.offset >= starts[i]!);
    const end = starts[i]! + s.text.length;
    let to = from < 0 ? from : from;
    while (to >= 0 && to < tokens.length && tokens[to]!.offset < end) to++;
    if (from < 0) return [];
    if (s.foldCase || !matcher.capitalRuns) return matcher.match(tokens, { from, to, foldCase: s.foldCase, text: whole });
    return capitalRuns(tokens, from, to).flatMap((r) => matcher.match(tokens, { ...r, text: whole }));
  });
  const certain = new Map<string, number>();
  for (const m of matches) if (m.senses.length === 1) certain.set(m.senses[0]!.entry.id, (certain.get(m.senses[0]!.entry.id) ?? 0) + 1);
  const ctx: Context = { tokens, text: whole, counts, certain, matchedAt: new Set(matches.map((m) => m.offset)) };

  const segmentOf = (offset: number) => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1]! <= offset) i++;
    return i;
  };

  const byId = new Map<string, { entry: GazetteerEntry; mentions: number; firstOffset: number; weight: number }>();
  const named = new Set<string>();
  const senses = matches.map((m) => disambiguate(ctx, m));
  // A surname alone ("Putin") counts once the story names the person in full anywhere — a
  // headline's "Putin meets Xi" included, though the full names come later, in the body.
  const fullNamed = new Set(senses.filter((s) => s?.entry.type === 'person' && s.via === 'name').map((s) => s!.entry.id));
  for (const [i, m] of matches.entries()) {
    const sense = senses[i];
    if (!sense) continue;
    const { entry, via } = sense;
    if (via === 'surname' && !fullNamed.has(entry.id)) continue;
    // "中国足协", «Нафтогаз України»: the organisation's name, not a mention of the country.
    if (entry.type === 'country' && matcher.partOfName?.(whole, tokens, m, via)) continue;
    const segIndex = segmentOf(m.offset);
    const seg = segs[segIndex]!;
    const weight = seg.weight * VIA_WEIGHT[via];
    const offset = seg.base === null ? -1 : seg.base + (m.offset - starts[segIndex]!);
    if (entry.type === 'country' && via === 'name' && entry.country) named.add(entry.country);
    const current = byId.get(entry.id);
    if (current) {
      current.mentions++;
      current.weight += weight;
      if (offset >= 0 && (current.firstOffset < 0 || offset < current.firstOffset)) current.firstOffset = offset;
    } else {
      byId.set(entry.id, { entry, mentions: 1, firstOffset: offset, weight });
    }
  }

  const top = Math.max(0, ...[...byId.values()].map((e) => e.weight));
  const entities: EntityMention[] = [...byId.values()]
    .map(({ entry, mentions, firstOffset, weight }) => ({
      id: entry.id,
      qid: entry.qid,
      type: entry.type,
      name: entry.name,
      mentions,
      firstOffset: Math.max(0, firstOffset),
      salience: top > 0 ? Math.round((weight / top) * 1000) / 1000 : 0,
    }))
    .sort((a, b) => b.salience - a.salience || a.firstOffset - b.firstOffset);

  const countryScore = new Map<string, number>();
  for (const { entry, weight } of byId.values()) {
    const code = entry.country;
    if (!code) continue;
    countryScore.set(code, (countryScore.get(code) ?? 0) + weight * (IMPLIED_WEIGHT[entry.type] ?? 0.5));
  }
  const ranked = [...countryScore.entries()].sort((a, b) => b[1] - a[1]);
  const best = ranked[0]?.[1] ?? 0;
  return {
    entities,
    countries: ranked.map(([code]) => code),
    named: [...named].sort(),
    focus: ranked
      .filter(([, score]) => score >= best * FOCUS_SHARE)
      .slice(0, MAX_FOCUS)
      .map(([code]) => code),
  };
}
