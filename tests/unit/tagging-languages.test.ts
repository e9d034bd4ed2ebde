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

describe('names the press uses, in every language', () => {
  it('Spanish, French and German: the short names (CLDR) as well as the formal ones', () => {
    expect(
      sorted(tag('Oriente Próximo', 'Israel y Siria negocian. Irak, Arabia Saudí y Chequia enviaron observadores a Fiyi.').named),
    ).toEqual(['CZ', 'FJ', 'IL', 'IQ', 'SA', 'SY']);
    expect(sorted(tag('Proche-Orient', 'La Syrie et l’Irak ont signé un accord avec la Tchéquie et la Bosnie-Herzégovine.').named)).toEqual(
      ['BA', 'CZ', 'IQ', 'SY'],
    );
    expect(sorted(tag('Nahost', 'Syrien und der Irak verhandeln, Tschechien vermittelt zwischen den beiden Ländern.').named)).toEqual([
      'CZ',
      'IQ',
      'SY',
    ]);
  });

  it('states that are gone keep their own codes in every language', () => {
    expect(tag('Historia', 'La desintegración de Yugoslavia y de Checoslovaquia cambió el mapa de Europa.').named.sort()).toEqual([
      'CS',
      'YU',
    ]);
    expect(tag('Histoire', 'La Yougoslavie et la Tchécoslovaquie ont disparu au début des années quatre-vingt-dix.').named.sort()).toEqual([
      'CS',
      'YU',
    ]);
  });

  it('a kicker or headline in capitals inside the body is read regardless of case, a lone acronym is not', () => {
    const r = tag(
      '',
      'VENEZUELA ELECCIONES LA OPOSICION PIDE OBSERVADORES Caracas (EFE).\n-\nEl ELN liberó a los rehenes, informó el Gobierno.',
    );
    expect(r.named).toEqual(['VE']);
    expect(tag('', 'La guerrilla del ELN y la ONU firmaron un acuerdo en la capital, informó la prensa local hoy.').named).toEqual([]);
  });

  it('German: genitives of names ending in -en and -on, and the nouns for peoples', () => {
    const r = tag('', 'Der Einfluss Indiens, Ägyptens und Libanons wächst, sagte der Italiener vor den Franzosen und einer Kanadierin.');
    expect(sorted(r.named)).toEqual(['EG', 'IN', 'LB']);
    expect(sorted(r.countries)).toEqual(['CA', 'EG', 'FR', 'IN', 'IT', 'LB']);
    expect(tag('', 'Mehrere Male war der Maler in der Stadt, sagte die Polizei am Montag.').countries).toEqual([]);
  });
});

describe("a country's name inside an organisation's or team's name", () => {
  it('Chinese: national sides and institutions named after the country are not the country', () => {
    expect(tag('', '中国队以3比1战胜巴西队，中国女队也获胜。').named).toEqual([]);
    expect(tag('', '中国足协和中国青年志愿者协会发表声明，中国电影出版社出版了这本书。').named).toEqual([]);
    expect(sorted(tag('', '中国和巴西的足球队在北京比赛，中国政府表示欢迎。').named)).toEqual(['BR', 'CN']);
  });

  it('Chinese: a name counts only as whole words, and a visit names the country it goes to', () => {
    expect(tag('', '其中国王任命了三名成员，沿海地区的渔民也参加了。').countries).toEqual([]);
    // 华盛顿 is Washington (the US by its capital), not 在华 (in China); 28日中午 is noon, not 日中.
    expect(tag('', '他在华盛顿发表讲话，截至28日中午已有多人抵达，心中，加上大量的准备。').countries).toEqual(['US']);
    expect(sorted(tag('', '总理会见了来华访问的客人，他下月将访美并赴日。').named)).toEqual(['CN', 'JP', 'US']);
    expect(sorted(tag('', '中国驻美国大使表示，中美关系正在改善，中国人民欢迎合作。').named)).toEqual(['CN', 'US']);
  });

  it('Ukrainian and Russian: bodies named with the country in the genitive, and quoted company names', () => {
    expect(
      tag(
        '',
        'Генеральна прокуратура України відкрила провадження щодо посадовців НАК «Нафтогаз України» і МВС України повідомило про обшуки.',
      ).named,
    ).toEqual([]);
    expect(tag('', 'Міністерство обороны России и ФСБ России провели проверку компании «Газпром Россия».').named).toEqual([]);
    expect(sorted(tag('', 'Уряд заявив, що Україна і Польща підписали угоду, а Росія її критикує.').named)).toEqual(['PL', 'RU', 'UA']);
  });

  it('German: a capitalised adjective opening a name in mid-sentence, not at the start of one', () => {
    expect(tag('', 'Die Aktien der Deutsche Bank fielen, und beim Deutschen Fußball-Bund wurde gewählt.').countries).not.toContain('DE');
    expect(tag('', 'Deutsche Reeder wollen Soldaten an Bord. Ja, die Deutschen.').countries).toContain('DE');
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
