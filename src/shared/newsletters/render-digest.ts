// A digest as readers get it: an e-mail built with MJML (responsive tables e-mail clients render,
// a narrow single column on a phone, colours for dark mode) and a plain-text part that reads well
// on its own. Each item shows its site, date, headline, summary, the countries it is about, the
// people in it, and its lead image when it has one.

export interface DigestView {
  /** The publication's name (NEWSLINE_PUBLICATION_NAME). */
  publication: string;
  /** The topic's title. */
  title: string;
  periodStart: string;
  periodEnd: string;
  items: Array<{
    title: string | null;
    url: string;
    siteName: string | null;
    publishedAt: string | null;
    summary: string | null;
    focus: string[];
    people: string[];
    image: string | null;
  }>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** A country code as readers know it: RU → Russia (historic codes as they are). */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const siteOf = (item: DigestView['items'][number]) => item.siteName ?? new URL(item.url).hostname.replace(/^www\./, '');

function period(view: DigestView): string {
  const [from, to] = [day(view.periodStart), day(view.periodEnd)];
  return from === to ? to : `${from} – ${to}`;
}

/** The plain-text part. */
export function renderDigestText(view: DigestView): string {
  const head = `${view.publication} · ${view.title}`;
  const lines = [head, '='.repeat(head.length), period(view), ''];
  view.items.forEach((item, n) => {
    const meta = [siteOf(item), item.publishedAt ? day(item.publishedAt) : null].filter(Boolean).join(', ');
    lines.push(`${n + 1}. ${item.title ?? item.url}`, `   ${meta}`);
    if (item.summary) lines.push(`   ${item.summary}`);
    const about = [item.focus.map(countryName).join(', '), item.people.join(', ')].filter(Boolean).join(' · ');
    if (about) lines.push(`   About: ${about}`);
    lines.push(`   ${item.url}`, '');
  });
  lines.push(`${view.items.length} ${view.items.length === 1 ? 'story' : 'stories'} · sent by newsline`);
  return `${lines.join('\n').trimEnd()}\n`;
}

const DARK_MODE = `
  @media (prefers-color-scheme: dark) {
    .nl-page, .nl-page > div, .nl-page table, .nl-card, .nl-card > table { background: #16181d !important; }
    .nl-card div, .nl-meta div, .nl-header div { color: #e6e6e6 !important; }
    .nl-card a { color: #8ab4f8 !important; }
  }`;

function itemMarkup(item: DigestView['items'][number]): string {
  const meta = [esc(siteOf(item)), item.publishedAt ? esc(day(item.publishedAt)) : null].filter(Boolean).join(' · ');
  const about = [
    item.focus.length ? `<strong>About</strong> ${esc(item.focus.map(countryName).join(', '))}` : null,
    item.people.length ? `<strong>People</strong> ${esc(item.people.join(', '))}` : null,
  ]
    .filter(Boolean)
    .join('<br/>');
  return `
    <mj-section css-class="nl-card" background-color="#ffffff" padding="16px 20px" border-bottom="1px solid #e5e7eb">
      <mj-column>
        ${item.image ? `<mj-image src="${esc(item.image)}" alt="" href="${esc(item.url)}" padding="0 0 12px 0" border-radius="6px" />` : ''}
        <mj-text css-class="nl-meta" font-size="12px" color="#6b7280" text-transform="uppercase" letter-spacing="0.04em" padding="0 0 4px 0">${meta}</mj-text>
        <mj-text font-size="19px" line-height="1.3" font-weight="700" padding="0 0 6px 0"><a href="${esc(item.url)}" style="color:#111827;text-decoration:none">${esc(item.title ?? item.url)}</a></mj-text>
        ${item.summary ? `<mj-text font-size="15px" line-height="1.5" color="#374151" padding="0 0 8px 0">${esc(item.summary)}</mj-text>` : ''}
        ${about ? `<mj-text font-size="13px" line-height="1.5" color="#4b5563" padding="0">${about}</mj-text>` : ''}
      </mj-column>
    </mj-section>`;
}

/** The HTML part: MJML compiled to e-mail-safe HTML. */
export async function renderDigestHtml(view: DigestView): Promise<string> {
  const count = `${view.items.length} ${view.items.length === 1 ? 'story' : 'stories'}`;
  const source = `
<mjml lang="en">
  <mj-head>
    <mj-title>${esc(`${view.publication} · ${view.title}`)}</mj-title>
    <mj-preview>${esc(`${count}: ${view.items[0]?.title ?? ''}`)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text color="#111827" />
    </mj-attributes>
    <mj-style>${DARK_MODE}</mj-style>
    <mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>
  </mj-head>
  <mj-body background-color="#f3f4f6" width="640px" css-class="nl-page">
    <mj-section css-class="nl-header" background-color="#111827" padding="24px 20px">
      <mj-column>
        <mj-text font-size="13px" color="#9ca3af" text-transform="uppercase" letter-spacing="0.08em" padding="0 0 6px 0">${esc(view.publication)}</mj-text>
        <mj-text font-size="26px" font-weight="700" color="#ffffff" padding="0 0 6px 0">${esc(view.title)}</mj-text>
        <mj-text font-size="14px" color="#d1d5db" padding="0">${esc(period(view))} · ${esc(count)}</mj-text>
      </mj-column>
    </mj-section>
    ${view.items.map(itemMarkup).join('')}
    <mj-section padding="16px 20px">
      <mj-column>
        <mj-text font-size="12px" color="#6b7280" align="center">Sent by newsline · ${esc(view.title)}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
  // Loaded when a digest is rendered: MJML and what it brings weigh tens of megabytes in every
  // process that imports the newsletters, most of which never render one.
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  return result.html;
}
