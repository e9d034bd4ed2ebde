// Tagging in the languages this news is written in. The sentences are written for this project.
import { describe, expect, it } from 'vitest';
import { defaultGazetteer } from '../../src/shared/tag/gazetteer.js';
import { detectLanguage, resolveLanguage } from '../../src/shared/tag/languages/detect-language.js';
import { MultilingualMatcher } from '../../src/shared/tag/languages/tagger.js';
import { tagArticle } from '../../src/shared/tag/tag-article.js';

const matchers = new MultilingualMatcher(defaultGazetteer());
const tag = (title: string, body: string, declared: string | null = null) => {
  const language = resolveLanguage(declared, `${title}\n${body}`);
  return { language, ...tagArticle(matchers.for(language), { title, body }) };
};
const sorted = (xs: string[]) => [...xs].sort();

describe('the Lavrov–Xi story in each language', () => {
  it('Russian: RU, CN with focus, through case forms', () => {
    const r = tag(
      'Лавров прибыл в Пекин',
      'Министр иностранных дел России Сергей Лавров встретился с председателем КНР Си Цзиньпином. Стороны обсудили отношения между Россией и Китаем и положение на Украине.',
    );
    expect(r.language).toBe('ru');
    expect(sorted(r.focus)).toEqual(['CN', 'RU']);
    expect(r.countries).toEqual(expect.arrayContaining(['RU', 'CN', 'UA']));
    expect(r.entities.map((e) => e.id)).toEqual(expect.arrayContaining(['person:sergey-lavrov', 'person:xi-jinping']));
  });

  it('Ukrainian: UA with focus, through case forms', () => {
    const r = tag(
      'Зеленський провів переговори у Варшаві',
      'Президент України Володимир Зеленський зустрівся з прем’єр-міністром Польщі. Сторони обговорили допомогу Україні та тиск на Росію.',
    );
    expect(r.language).toBe('uk');
    expect(r.focus[0]).toBe('UA');
    expect(r.countries).toEqual(expect.arrayContaining(['UA', 'PL', 'RU']));
    expect(r.entities.map((e) => e.id)).toContain('person:volodymyr-zelensky');
  });

  it('Chinese: CN, RU with focus, names found within text without spaces', () => {
    const r = tag('习近平会见拉夫罗夫', '国家主席习近平在北京会见俄罗斯外交部长拉夫罗夫。双方就中俄关系和乌克兰问题交换了意见。');
    expect(r.language).toBe('zh');
    expect(sorted(r.focus)).toEqual(['CN', 'RU']);
    expect(r.countries).toEqual(expect.arrayContaining(['CN', 'RU', 'UA']));
  });

  it('gives the same countries to the same story in seven languages', () => {
    const story: Array<[string, string]> = [
      [
        'Russia and China discuss Ukraine',
        'Russian Foreign Minister Sergey Lavrov met China’s President Xi Jinping in Beijing on Tuesday. They discussed the war in Ukraine and trade between Russia and China.',
      ],
      [
        'Россия и Китай обсудили Украину',
        'Министр иностранных дел России Сергей Лавров во вторник встретился в Пекине с председателем КНР Си Цзиньпином. Они обсудили войну на Украине и торговлю между Россией и Китаем.',
      ],
      [
        'Росія і Китай обговорили Україну',
        'Міністр закордонних справ Росії Сергій Лавров у вівторок зустрівся в Пекіні з головою КНР Сі Цзіньпіном. Вони обговорили війну в Україні та торгівлю між Росією і Китаєм.',
      ],
      ['中俄讨论乌克兰问题', '俄罗斯外交部长拉夫罗夫星期二在北京会见中国国家主席习近平。双方讨论了乌克兰战争以及俄罗斯和中国之间的贸易。'],
      [
        'Russland und China beraten über die Ukraine',
        'Der russische Außenminister Sergej Lawrow hat am Dienstag in Peking den chinesischen Präsidenten Xi Jinping getroffen. Sie sprachen über den Krieg in der Ukraine und den Handel zwischen Russland und China.',
      ],
      [
        'La Russie et la Chine évoquent l’Ukraine',
        'Le ministre russe des Affaires étrangères Sergueï Lavrov a rencontré mardi à Pékin le président chinois Xi Jinping. Ils ont évoqué la guerre en Ukraine et le commerce entre la Russie et la Chine.',
      ],
      [
        'Rusia y China hablan de Ucrania',
        'El ministro ruso de Asuntos Exteriores, Serguéi Lavrov, se reunió el martes en Pekín con el presidente chino, Xi Jinping. Hablaron de la guerra en Ucrania y del comercio entre Rusia y China.',
      ],
    ];
    const results = story.map(([title, body]) => tag(title, body));
    expect(results.map((r) => r.language)).toEqual(['en', 'ru', 'uk', 'zh', 'de', 'fr', 'es']);
    for (const r of results) {
      expect(sorted(r.named)).toEqual(['CN', 'RU', 'UA']);
      expect(sorted(r.focus.slice(0, 2))).toEqual(['CN', 'RU']);
    }
  });
});

describe('precision in every language', () => {
  it('French: «La guerre» is not Louisiana, and chinois, russe and Pékin point where they should', () => {
    const r = tag(
      'Xi reçoit Lavrov',
      'Le président chinois Xi Jinping a reçu le ministre russe des Affaires étrangères à Pékin. La guerre en Ukraine était au menu. La Chine et la Russie veulent renforcer leur coopération.',
    );
    expect(r.language).toBe('fr');
    expect(r.countries).not.toContain('US');
    expect(r.entities.map((e) => e.id)).not.toContain('place:louisiana');
    expect(sorted(r.named)).toEqual(['CN', 'RU', 'UA']);
    expect(r.focus[0]).toBe('CN');
  });

  it('English: seas, oceans, gulfs and peninsulas named after a country are not that country', () => {
    for (const [text, not] of [
      ['Warships were seen in the Sea of Japan on Monday, officials said.', 'JP'],
      ['A cyclone is forming over the Indian Ocean and heading for the coast.', 'IN'],
      ['Patrols in the South China Sea increased this week, analysts said.', 'CN'],
      ['Pirates attacked a tanker in the Gulf of Guinea overnight.', 'GN'],
      ['Tensions rose on the Korean Peninsula after the launch.', 'KR'],
    ] as const) {
      expect(tag('Maritime news', text).countries, text).not.toContain(not);
    }
  });

  it('English: "Putin meets Xi in Beijing" has focus RU and CN when the story names both in full', () => {
    const r = tag(
      'Putin meets Xi in Beijing',
      'Vladimir Putin arrived for talks with Xi Jinping on Thursday. The two leaders discussed energy supplies and a new pipeline. Officials from both sides said more meetings would follow.',
    );
    expect(sorted(r.focus)).toEqual(['CN', 'RU']);
  });

  it('Russian and Ukrainian: case endings never turn an unrelated word into a country', () => {
    expect(tag('Новости', 'Малый бизнес в городе растёт. Того и гляди, самое время открыть кафе на малой улице.').countries).toEqual([]);
    expect(tag('Новини', 'Герман Петрович приїхав до міста. Малий бізнес росте, і того року відкрили кав’ярню.').countries).toEqual([]);
  });

  it('Chinese: a one-character abbreviation counts only in the compounds that use it', () => {
    const r = tag('会谈', '中美双方在会谈中表示，中方愿意同美方加强合作。发展中国家的代表也出席了会议。');
    expect(sorted(r.named)).toEqual(['CN', 'US']);
    expect(tag('天气', '中午天气很好，美丽的花园里有很多人。').countries).toEqual([]);
  });
});

describe('language of a document', () => {
  it('comes from its text, and from the page when the text is too short to tell', () => {
    expect(detectLanguage('Министр иностранных дел России прибыл в Пекин для переговоров')).toBe('ru');
    expect(resolveLanguage('en', 'Министр иностранных дел России прибыл в Пекин для переговоров')).toBe('ru');
    expect(resolveLanguage('de-DE', 'Kurz')).toBe('de');
    expect(resolveLanguage(null, 'Kurz')).toBeNull();
  });
});
