// The sample site's stories, written for this project. Fictional reporting in a news register,
// with the chrome real news sites wrap around it (see page-template.ts).

export interface Story {
  slug: string;
  section: string;
  /** Shown as "Thursday, 20 June 2024". */
  date: string;
  isoDate: string;
  headline: string;
  author: string;
  summary: string[];
  /** Paragraphs; a line starting with "## " is a subheading. */
  paragraphs: string[];
}

export const stories: Story[] = [
  {
    slug: 'xi-lavrov-beijing-talks',
    section: 'World',
    date: 'Thursday, 20 June 2024',
    isoDate: '2024-06-20T09:30:00+08:00',
    headline: 'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
    author: 'Mara Ellison',
    summary: [
      'Lavrov held two days of talks with his Chinese counterpart Wang Yi before meeting Xi.',
      'Both sides said they oppose any peace conference on Ukraine that ignores Russia.',
      'Wang said Xi and Vladimir Putin would keep in close contact and exchange visits this year.',
    ],
    paragraphs: [
      'Chinese leader Xi Jinping met Russian Foreign Minister Sergey Lavrov in Beijing on Tuesday, a meeting both governments presented as proof of a partnership that has only deepened since Moscow sent its troops into Ukraine.',
      'Russia has grown steadily more dependent on China as Western sanctions have closed other markets to it. China now buys a large share of Russian oil and sells Russia the machinery and electronics it can no longer buy in Europe, and the two militaries have held joint exercises every year.',
      '## A partnership with limits',
      'Ukrainian President Volodymyr Zelensky has called for the withdrawal of all Russian forces, but Kyiv relies heavily on weapons from the United States, where a new aid package spent months stalled in Congress.',
      'China and Russia both hold permanent seats on the UN Security Council and have repeatedly blocked resolutions pressed by Washington and its allies, from Syria to Venezuela.',
      'Beijing says it does not supply weapons to Russia, yet it has refused to condemn the invasion and has blamed NATO expansion for provoking it. India, too, has kept buying Russian oil despite pressure from the West.',
      'In a call last week, U.S. President Joe Biden warned Xi that support for the Russian defence industry would damage relations, and urged Beijing to use its influence on North Korea.',
    ],
  },
  {
    slug: 'eu-gas-storage-winter',
    section: 'Business',
    date: 'Monday, 14 October 2024',
    isoDate: '2024-10-14T07:00:00+02:00',
    headline: 'Europe enters winter with gas storage nearly full',
    author: 'Tomas Brandt and Ines Navarro',
    summary: [
      'Storage sites across the bloc are more than 95 per cent full.',
      'Germany and Italy have signed new long-term supply deals with Norway and Algeria.',
    ],
    paragraphs: [
      'European gas storage is close to full as the heating season begins, easing fears of shortages that dominated the two winters after supplies from Russia collapsed.',
      'Germany, once the largest buyer of Russian pipeline gas, now imports liquefied gas through new terminals on its northern coast, while Norway has become the continent’s biggest supplier.',
      '## Prices still above the old normal',
      'Traders in Amsterdam said prices remain roughly twice their average of the last decade, a burden for chemical makers and steel plants in France and Italy that compete with rivals in the United States.',
      'Officials in Brussels warned that a cold January could still drain reserves faster than expected, and asked member states to keep demand-reduction measures in place.',
    ],
  },
  {
    slug: 'monsoon-rains-harvest-india',
    section: 'Science',
    date: 'Friday, 2 August 2024',
    isoDate: '2024-08-02T11:15:00+05:30',
    headline: 'Strong monsoon lifts hopes for India’s rice harvest',
    author: 'Priya Raman',
    summary: [
      'Rainfall since June is running eight per cent above the long-term average.',
      'Farmers in the north-west planted earlier than usual.',
    ],
    paragraphs: [
      'India’s monsoon rains have been heavier than average this summer, according to the national weather office, raising expectations of a large rice crop after last year’s dry spell pushed New Delhi to restrict exports.',
      'Agronomists cautioned that flooding in the east has damaged some fields, and that a late-season dry spell could still cut yields in the rice belt.',
      'Importers in Bangladesh and Indonesia are watching closely: a good harvest could lead the government to relax the export curbs that lifted prices across Asia.',
    ],
  },
];
