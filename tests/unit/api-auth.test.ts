// Who may call the API: the token check and what counts as a loopback address.
import { describe, expect, it } from 'vitest';
import { checkAuthorization, isLoopbackHost, tokenMatches } from '../../src/api/auth.js';

const token = 'a-long-operator-token-1234';

describe('API token check', () => {
  it('accepts the Bearer token and tells a missing one from a wrong one', () => {
    expect(checkAuthorization(token, `Bearer ${token}`)).toBe('ok');
    expect(checkAuthorization(token, `bearer   ${token}`)).toBe('ok');
    expect(checkAuthorization(token, undefined)).toBe('missing');
    expect(checkAuthorization(token, 'Token abc')).toBe('missing');
    expect(checkAuthorization(token, `Bearer ${token}x`)).toBe('wrong');
    expect(checkAuthorization(token, 'Bearer ')).toBe('wrong');
    // Exactly one credential after the scheme.
    expect(checkAuthorization(token, `Bearer ${token} junk`)).toBe('wrong');
    expect(checkAuthorization(token, `Bearer ${token} ${token}`)).toBe('wrong');
  });

  it('takes the token as a Basic password only where the browser needs it (the dashboard)', () => {
    const basic = `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}`;
    expect(checkAuthorization(token, basic, { allowBasic: true })).toBe('ok');
    expect(checkAuthorization(token, basic)).toBe('missing');
    expect(checkAuthorization(token, `Basic ${Buffer.from('anyone:guess').toString('base64')}`, { allowBasic: true })).toBe('wrong');
  });

  it('lets everything through when no token is configured (loopback-only servers)', () => {
    expect(checkAuthorization(undefined, undefined)).toBe('ok');
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, token.repeat(10))).toBe(false);
  });
});

describe('loopback addresses', () => {
  it('knows which listen addresses only this machine can reach', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
