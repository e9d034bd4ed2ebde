// SSRF guard: which addresses a fetch may connect to. The check runs inside the socket's DNS
// lookup, so the address that was checked is the address that is dialled (no DNS rebinding).
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

export const FORBIDDEN_ADDRESS = 'NEWSLINE_FORBIDDEN_ADDRESS';

export interface AddressPolicyOptions {
  /**
   * Allow loopback, private, link-local and other non-public addresses.
   * @defaultValue false
   */
  allowPrivate?: boolean;
  /**
   * Hosts, as written in the URL (a name or a literal address), that may be fetched even when
   * they resolve to non-public addresses; `host:port` (`[v6]:port`) allows that port only. A name
   * is matched as a name: allowing `127.0.0.1` does not allow `localhost`.
   * @defaultValue []
   */
  allowHosts?: string[];
}

export class ForbiddenAddressError extends Error {
  readonly code = FORBIDDEN_ADDRESS;
  constructor(host: string, address: string, range: string) {
    super(`refusing to connect to ${host} (${address}, ${range} address)`);
  }
}

/** The ipaddr.js range name of an address, with IPv4-mapped and -compatible IPv6 unwrapped. */
export function addressRange(address: string): string {
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::a.b.c.d (IPv4-compatible, deprecated) is not classified by ipaddr.js; treat it as reserved.
    if (parts.slice(0, 6).every((p) => p === 0)) return 'ipv4Compatible';
  }
  return parsed.range();
}

export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'unicast';
}

/** Strip IPv6 brackets from a URL hostname. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** An allow-list entry: `host`, `host:port`, `[v6]` or `[v6]:port` (a bare v6 address has no port). */
export function parseAllowedHost(entry: string): { host: string; port: number | null } {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : null };
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text);
  if (withPort) return { host: withPort[1]!, port: Number(withPort[2]) };
  return { host: text, port: null };
}

/** The port a URL connects to. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

type Lookup = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export class AddressPolicy {
  private readonly allowPrivate: boolean;
  /** Allowed host → its allowed ports, or null for every port. */
  private readonly allowHosts = new Map<string, Set<number> | null>();

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    for (const entry of options.allowHosts ?? []) {
      const { host, port } = parseAllowedHost(entry);
      const ports = this.allowHosts.get(host);
      if (port === null || ports === null) this.allowHosts.set(host, null);
      else this.allowHosts.set(host, new Set([...(ports ?? []), port]));
    }
  }

  private allows(host: string, port: number): boolean {
    const key = bareHost(host.toLowerCase());
    if (!this.allowHosts.has(key)) return false;
    const ports = this.allowHosts.get(key);
    return ports === null || ports!.has(port);
  }

  /** Throws `ForbiddenAddressError` if `address` (resolved from `host`) may not be dialled on `port`. */
  check(host: string, address: string, port: number): void {
    if (this.allowPrivate || this.allows(host, port)) return;
    if (!ipaddr.isValid(address)) throw new ForbiddenAddressError(host, address, 'invalid');
    const range = addressRange(address);
    if (range !== 'unicast') throw new ForbiddenAddressError(host, address, range);
  }

  /** For literal-IP URLs, which never reach the DNS lookup: check before connecting. */
  checkUrl(url: URL): void {
    const host = bareHost(url.hostname);
    if (ipaddr.isValid(host)) this.check(host, host, portOf(url));
  }

  /**
   * Whether a fetch of `url` would be refused by this policy, names resolved as a connection would
   * resolve them (for checks made ahead of time, such as registering a webhook).
   */
  async checkResolved(url: URL): Promise<void> {
    this.checkUrl(url);
    const host = bareHost(url.hostname);
    if (ipaddr.isValid(host)) return;
    await new Promise<void>((resolve, reject) =>
      this.lookupFor(portOf(url))(host, { all: true }, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** A `net.connect`-compatible lookup for a connection to `port`: resolves, checks every address, then connects. */
  lookupFor(port: number): Lookup {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        try {
          for (const a of addresses) this.check(hostname, a.address, port);
        } catch (guardErr) {
          return callback(guardErr as NodeJS.ErrnoException, []);
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      });
    };
  }
}
