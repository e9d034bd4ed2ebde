import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.js';
import { AddressPolicy, isPublicAddress } from '../../src/shared/fetch/address-guard.js';
import { parseRetryAfter } from '../../src/shared/fetch/classify.js';
import { parseSubmittedUrl } from '../../src/queues/producer.js';

describe('loadConfig', () => {
  it('fills defaults', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.NEWSLINE_PREFIX).toBe('newsline');
    expect(c.FETCH_ALLOW_PRIVATE).toBe(false);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('parses values and rejects unknown newsline keys and bad values in one line', () => {
    expect(loadConfig({ FETCH_ALLOW_PRIVATE: 'true', FETCH_ALLOW_HOSTS: 'a.example, 10.0.0.1' })).toMatchObject({
      FETCH_ALLOW_PRIVATE: true,
      FETCH_ALLOW_HOSTS: ['a.example', '10.0.0.1'],
    });
    expect(() => loadConfig({ NEWSLINE_PREFX: 'x' })).toThrow(/unknown setting NEWSLINE_PREFX/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must start with redis:\/\//);
    expect(() => loadConfig({ NEWSLINE_PREFIX: 'a:b' })).toThrow(/NEWSLINE_PREFIX/);
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });
});

describe('address guard', () => {
  it('allows public unicast only', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '::7f00:1',
      'fd00::1',
      'fe80::1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('checks literal-IP URLs in any spelling the URL parser accepts', () => {
    const policy = new AddressPolicy();
    for (const u of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/']) {
      expect(() => policy.checkUrl(new URL(u)), u).toThrow(/refusing to connect/);
    }
    expect(() => new AddressPolicy({ allowPrivate: true }).checkUrl(new URL('http://127.0.0.1/'))).not.toThrow();
    expect(() => new AddressPolicy({ allowHosts: ['127.0.0.1'] }).checkUrl(new URL('http://127.0.0.1:8080/'))).not.toThrow();
  });

  it('allows only the listed port when an allowed host names one', async () => {
    const policy = new AddressPolicy({ allowHosts: ['127.0.0.1:8080', '[::1]:9090', 'localhost:7000'] });
    expect(() => policy.checkUrl(new URL('http://127.0.0.1:8080/'))).not.toThrow();
    expect(() => policy.checkUrl(new URL('http://127.0.0.1:6379/'))).toThrow(/refusing to connect/);
    expect(() => policy.checkUrl(new URL('http://127.0.0.1/'))).toThrow(/refusing to connect/);
    expect(() => policy.checkUrl(new URL('http://[::1]:9090/'))).not.toThrow();
    expect(() => policy.checkUrl(new URL('http://[::1]:8080/'))).toThrow(/refusing to connect/);
    const lookup = (port: number) =>
      new Promise<string | null>((resolve) =>
        policy.lookupFor(port)('localhost', { all: true }, (err) => resolve(err ? (err as Error).message : null)),
      );
    expect(await lookup(7000)).toBeNull();
    expect(await lookup(6379)).toMatch(/refusing to connect to localhost/);
  });

  it('reads Retry-After in both forms', () => {
    expect(parseRetryAfter('120', 1_000)).toBe(121_000);
    const now = Date.parse('2015-10-21T07:00:00Z');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(Date.parse('2015-10-21T07:28:00Z'));
    expect(parseRetryAfter('Wed, 21 Oct 2015 06:00:00 GMT', now)).toBe(now); // a date in the past: now
    expect(parseRetryAfter('86400000', now)).toBe(now + 6 * 3_600_000); // capped at six hours
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('rejects invalid and non-http URLs with a clear message', () => {
    expect(() => parseSubmittedUrl('not a url')).toThrow('not a URL: "not a url"');
    expect(() => parseSubmittedUrl('ftp://x.example/')).toThrow(/only http and https/);
  });
});
