import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultGazetteer, loadGazetteer } from '../../src/shared/tag/gazetteer.js';
import { EntityMatcher } from '../../src/shared/tag/matcher.js';
import { tagArticle } from '../../src/shared/tag/tag-article.js';
import { extractArticle } from '../../src/shared/extract/extract-article.js';

const matcher = new EntityMatcher(defaultGazetteer());
const tag = (body: string, title: string | null = null) => tagArticle(matcher, { title, body });
const ids = (body: string, title: string | null = null) => tag(body, title).entities.map((e) => e.id);

describe('the seed-shaped story', () => {
  const html = readFileSync(new URL('../fixtures/pages/summit-story.html', import.meta.url), 'utf8');
  const result = tagArticle(matcher, extractArticle(html, 'https://globe-dispatch.example/x'));
  const names = (type: string) => result.entities.filter((e) => e.type === type).map((e) => e.name);

  it('finds the countries, people and organisations with canonical ids', () => {
    expect(result.countries).toEqual(expect.arrayContaining(['CN', 'RU', 'UA', 'US', 'KP', 'SY', 'VE']));
    expect(names('person')).toEqual(
      expect.arrayContaining(['Xi Jinping', 'Sergey Lavrov', 'Wang Yi', 'Vladimir Putin', 'Volodymyr Zelensky', 'Joe Biden']),
    );
    expect(names('organization')).toEqual(expect.arrayContaining(['UN Security Council', 'Shanghai Cooperation Organisation']));
    expect(result.entities.find((e) => e.id === 'RU')).toMatchObject({ qid: 'Q159', type: 'country', name: 'Russia' });
    expect(result.entities.find((e) => e.id === 'person:xi-jinping')).toMatchObject({ qid: 'Q15031' });
  });

  it('is about China and Russia', () => {
    expect(result.focus.slice(0, 2).sort()).toEqual(['CN', 'RU']);
    expect(result.focus).not.toContain('VE');
    expect(result.entities[0]!.salience).toBe(1);
  });
});

describe('names in running text', () => {
  it('counts names, demonyms, capitals, possessives and hyphenated forms', () => {
    const r = tag("Russia's envoy met Russian-backed officials in Moscow. The U.S.-led talks in Kyiv stalled.");
    expect(r.entities.find((e) => e.id === 'RU')?.mentions).toBe(3);
    expect(r.countries).toEqual(expect.arrayContaining(['RU', 'US', 'UA']));
  });

  it('prefers the longest name and ignores lower-case common words', () => {
    expect(ids('The U.S. and North Korea met; South Korea watched.')).toEqual(expect.arrayContaining(['US', 'KP', 'KR']));
    expect(ids('She bought fine china and roast turkey.')).toEqual([]);
    expect(ids('Papua New Guinea and Equatorial Guinea signed.')).toEqual(expect.arrayContaining(['PG', 'GQ']));
    expect(ids('Papua New Guinea and Equatorial Guinea signed.')).not.toContain('GN');
  });

  it('counts a surname only after the full name', () => {
    expect(ids('Putin did not attend.')).toEqual([]);
    const r = tag('Vladimir Putin spoke first. Later Putin left.');
    expect(r.entities.find((e) => e.id === 'person:vladimir-putin')?.mentions).toBe(2);
    expect(r.countries).toEqual(['RU']);
  });

  it('keeps historic states apart and maps them for countries', () => {
    const r = tag('Trade between the Soviet Union and West Germany grew, Bonn said.');
    expect(r.entities.map((e) => e.id)).toEqual(expect.arrayContaining(['SU', 'DE-W']));
    expect(r.countries).toEqual(expect.arrayContaining(['SU', 'DE']));
  });

  it('reads a dateline, apart or at the start of the body, as a strong signal', () => {
    expect(
      tagArticle(matcher, { title: 'Shares rise', dateline: 'NEW YORK, Feb 26 -', body: 'The company said profits rose.' }).focus,
    ).toEqual(['US']);
    expect(tag('TOKYO, March 3 (Reuters) - The company said profits rose on strong exports.').focus).toEqual(['JP']);
  });

  it('reads all-capital headlines', () => {
    expect(tag('Prices rose.', 'JAPAN TRADE SURPLUS WIDENS WITH CHINA').countries).toEqual(expect.arrayContaining(['JP', 'CN']));
  });
});

describe('ambiguous names', () => {
  it('Georgia: the country near Tbilisi, the U.S. state near Atlanta', () => {
    expect(ids("Protesters filled Tbilisi as Georgia's parliament met; Russia objected.")).toContain('GE');
    const state = ids('Voters in Georgia lined up in Atlanta and Savannah on Tuesday.');
    expect(state).toContain('place:us-georgia');
    expect(state).not.toContain('GE');
  });

  it('Jordan: the country, not Michael Jordan', () => {
    expect(ids('Jordan closed its airspace, officials in Amman said.')).toContain('JO');
    expect(ids('Fans cheered as Michael Jordan walked in.')).not.toContain('JO');
    expect(ids('Jordan Peterson gave a talk.')).not.toContain('JO');
  });

  it('Chad: the country, not a first name', () => {
    expect(ids("Chad's army repelled an attack near N'Djamena.")).toContain('TD');
    expect(ids('The coach said Chad Smith would start.')).not.toContain('TD');
  });

  it('Turkey: the country, not dinner', () => {
    expect(ids('Turkey raised interest rates again.')).toContain('TR');
    expect(ids('Turkey sandwiches were served at the party.')).not.toContain('TR');
  });

  it('Guinea: the country, not the pet', () => {
    expect(ids('Guinea held a referendum on Sunday.')).toContain('GN');
    expect(ids('Guinea pigs need company.')).not.toContain('GN');
  });

  it('Niger and Nigeria stay apart; the Niger Delta is in Nigeria', () => {
    expect(ids("Niger's junta expelled the envoy.")).toEqual(['NE']);
    expect(ids("Nigeria's president travelled.")).toEqual(['NG']);
    expect(ids('Oil spills in the Niger Delta continue.')).toEqual(['NG']);
  });

  it("Congo: Kinshasa's or Brazzaville's, from the context", () => {
    expect(ids('Fighting near Goma in eastern Congo displaced thousands.')).toContain('CD');
    const rep = ids('Congo held a vote; Sassou Nguesso campaigned in Brazzaville.');
    expect(rep).toContain('CG');
    expect(rep).not.toContain('CD');
  });

  it('Korea: North or South, from the context', () => {
    expect(ids('Korea fired a missile, state media in Pyongyang said.')).toContain('KP');
    const south = ids("Korea's exports of Samsung chips rose, Seoul said.");
    expect(south).toContain('KR');
    expect(south).not.toContain('KP');
  });

  it('Washington: the U.S. government, not Denzel Washington; Washington State is a state', () => {
    expect(tag('Washington imposed new sanctions.').countries).toEqual(['US']);
    expect(ids('Denzel Washington starred in the film.')).toEqual([]);
    expect(ids('Wildfires spread across Washington State.')).toEqual(['place:us-washington']);
  });
});

describe('operator gazetteer', () => {
  it('adds entities and names from NEWSLINE_GAZETTEER_EXTRA', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gz-')), 'extra.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        entities: [
          {
            id: 'org:acme-union',
            qid: null,
            type: 'organization',
            name: 'Acme Workers Union',
            country: 'FR',
            aliases: ['Acme Workers Union', 'AWU'],
          },
          { id: 'RU', aliases: ['Rossiya'] },
        ],
      }),
    );
    const m = new EntityMatcher(loadGazetteer(file));
    const r = tagArticle(m, { title: null, body: 'The AWU met delegates from Rossiya.' });
    expect(r.entities.map((e) => e.id)).toEqual(expect.arrayContaining(['org:acme-union', 'RU']));
    expect(() => loadGazetteer('/nonexistent.json')).toThrow(/NEWSLINE_GAZETTEER_EXTRA: cannot read/);
  });
});
