// Renders a story the way news sites do: header and navigation, date line, summary bullets,
// body, then related posts, a newsletter box, a comment form and a footer.
import type { Story } from './stories.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface PageOptions {
  /** Absolute URL the page declares as canonical. */
  canonicalUrl: string;
  siteName: string;
  related: Story[];
  /** Syndicated copies carry a different headline and chrome. */
  headlineOverride?: string;
}

export function renderStory(story: Story, options: PageOptions): string {
  const headline = options.headlineOverride ?? story.headline;
  const body = story.paragraphs.map((p) => (p.startsWith('## ') ? `<h2>${esc(p.slice(3))}</h2>` : `<p>${esc(p)}</p>`)).join('\n        ');
  const related = options.related
    .map(
      (r) =>
        `<li><a href="/news/${r.slug}"><h3>${esc(r.headline)}</h3></a><p>${esc(r.summary[0] ?? '')}…</p><a href="/news/${r.slug}">Read more</a></li>`,
    )
    .join('\n          ');
  return `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>${esc(headline)} | ${esc(options.siteName)}</title>
  <link rel="canonical" href="${esc(options.canonicalUrl)}">
  <meta property="og:site_name" content="${esc(options.siteName)}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="${esc(story.isoDate)}">
  <meta name="author" content="${esc(story.author)}">
  <meta name="description" content="${esc(story.summary[0] ?? '')}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>body{font-family:Georgia,serif;max-width:46rem;margin:auto}</style>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">${esc(options.siteName)}</a>
    <nav class="main-menu"><a href="/world">World</a> <a href="/business">Business</a> <a href="/science">Science</a> <a href="/opinion">Opinion</a></nav>
  </header>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
  <main>
    <article class="post">
      <p class="kicker">${esc(story.section)}</p>
      <h1>${esc(headline)}</h1>
      <p class="dateline">${esc(story.date)}</p>
      <p class="byline">By ${esc(story.author)}</p>
      <ul class="summary">
        ${story.summary.map((s) => `<li>${esc(s)}</li>`).join('\n        ')}
      </ul>
      <div class="entry-content">
        ${body}
      </div>
      <div class="share-bar"><a href="#">Share on X</a> <a href="#">Facebook</a> <a href="#">Email</a></div>
    </article>
    <section class="related-posts">
      <h2>Related posts</h2>
      <ul>
          ${related}
      </ul>
    </section>
    <section class="newsletter-box">
      <h3>Never miss a story</h3>
      <p>Get the morning briefing in your inbox: the day's most important news, every weekday.</p>
      <form action="/subscribe"><input type="email" placeholder="Your email"><button>Sign up</button></form>
    </section>
    <section id="comments">
      <h3>Leave a Reply</h3>
      <p>Your email address will not be published. Required fields are marked *</p>
      <form action="/comment"><textarea name="comment"></textarea><input name="author"><button>Post Comment</button></form>
    </section>
  </main>
  <footer><p>© 2024 ${esc(options.siteName)}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
`;
}
