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
   * they resolve to non-public addresses. A name is matched as a name: allowing `127.0.0.1` does
   * not allow `localhost`.
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

export class AddressPolicy {
  private readonly allowPrivate: boolean;
  private readonly allowHosts: Set<string>;

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.allowHosts = new Set((options.allowHosts ?? []).map((h) => bareHost(h.toLowerCase())));
  }

  /** Throws `ForbiddenAddressError` if `address` (resolved from `host`) may not be dialled. */
  check(host: string, address: string): void {
    if (this.allowPrivate || this.allowHosts.has(bareHost(host.toLowerCase()))) return;
    if (!ipaddr.isValid(address)) throw new ForbiddenAddressError(host, address, 'invalid');
    const range = addressRange(address);
    if (range !== 'unicast') throw new ForbiddenAddressError(host, address, range);
  }

  /** For literal-IP URLs, which never reach the DNS lookup: check before connecting. */
  checkUrl(url: URL): void {
    const host = bareHost(url.hostname);
    if (ipaddr.isValid(host)) this.check(host, host);
  }

  /** A `net.connect`-compatible lookup that resolves, checks every address, then connects. */
  lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      try {
        for (const a of addresses) this.check(hostname, a.address);
      } catch (guardErr) {
        return callback(guardErr as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
