// robots.txt matching held to google/robotstxt's own test suite (robots_test.cc, Apache-2.0): each
// case there — a robots.txt, a user agent, a URL and whether it may be fetched — is a row of
// tests/fixtures/conformance/robotstxt-cases.json (the inputs and expected results, as facts; the
// code is ours). Rows newsline deliberately decides otherwise are listed below with the reason,
// and asserted to go the way newsline decides.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { robotsAllows } from '../../src/shared/fetch/robots.js';

interface Case {
  test: string;
  robots: string;
  agent: string;
  url: string;
  allowed: boolean;
}

const cases = JSON.parse(readFileSync(new URL('../fixtures/conformance/robotstxt-cases.json', import.meta.url), 'utf8')) as Case[];

/** Where newsline parts from google/robotstxt, and why. */
const DEVIATIONS: Array<{ matches: (c: Case) => boolean; why: string }> = [
  {
    matches: (c) => c.url === '' && c.allowed,
    why: 'an empty URL: newsline never asks about one (every URL it checks is absolute); unparsable, it counts as disallowed',
  },
  {
    matches: (c) => c.test === 'ID_Encoding' && c.url.includes('ツ') && !c.allowed,
    why: 'newsline matches URLs as they go on the wire, percent-encoded: /foo/bar/ツ is /foo/bar/%E3%83%84, so a rule in either spelling matches both',
  },
  {
    matches: (c) => c.test === 'GoogleOnly_IndexHTMLisDirectory' && c.url.endsWith('/allowed-slash/'),
    why: 'Google-only: an Allow for /dir/index.html does not allow /dir/ (not in RFC 9309)',
  },
];

describe('robots.txt, by google/robotstxt’s cases', () => {
  it(`has the suite’s ${cases.length} cases`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(140);
  });

  it.each(cases.map((c, i) => [i, c.test, c] as const))('case %i (%s)', (_i, _test, c) => {
    const deviation = DEVIATIONS.find((d) => d.matches(c));
    const expected = deviation ? !c.allowed : c.allowed;
    expect(robotsAllows(c.robots, c.agent, c.url), deviation?.why ?? `${c.agent} ${c.url}`).toBe(expected);
  });
});
