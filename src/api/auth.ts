// Who may call the API. Writes and the dashboard need the operator's token (reads too, when
// configured); without a token the server only listens on loopback, so an unconfigured
// install is never open to the network.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import ipaddr from 'ipaddr.js';

export type AuthVerdict = 'ok' | 'missing' | 'wrong';

/** Compare in constant time; hashing first hides the token's length too. */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/**
 * Check an Authorization header against the token. `Bearer <token>` always works; with
 * `allowBasic`, `Basic` with the token as password also does (so a browser can open the dashboard).
 */
export function checkAuthorization(
  token: string | undefined,
  header: string | undefined,
  options: { allowBasic?: boolean } = {},
): AuthVerdict {
  if (token === undefined) return 'ok';
  if (!header) return 'missing';
  // A scheme and exactly one credential: `Bearer <token> junk` is not the token.
  const [scheme = '', value = '', ...rest] = header.trim().split(/\s+/);
  if (rest.length > 0) return 'wrong';
  if (/^bearer$/i.test(scheme)) return tokenMatches(token, value) ? 'ok' : 'wrong';
  if (options.allowBasic && /^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    return tokenMatches(token, password) ? 'ok' : 'wrong';
  }
  return 'missing';
}

/** True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  const addr = ipaddr.process(bare);
  return addr.range() === 'loopback';
}

/**
 * A Fastify onRequest hook that lets a request through only with the token: 401 with a
 * `WWW-Authenticate` challenge when none is sent, 403 when it is wrong.
 */
export function requireToken(
  token: string | undefined,
  options: { allowBasic?: boolean; challenge: string; hint: string },
): onRequestHookHandler {
  return async (request, reply) => {
    const verdict = checkAuthorization(token, request.headers.authorization, { allowBasic: options.allowBasic });
    if (verdict === 'missing')
      return reply.code(401).header('www-authenticate', options.challenge).send({ error: 'unauthorized', message: options.hint });
    if (verdict === 'wrong') return reply.code(403).send({ error: 'forbidden', message: 'wrong API token' });
  };
}
