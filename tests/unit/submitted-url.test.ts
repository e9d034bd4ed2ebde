// What may be submitted: an absolute http(s) URL, without credentials, of bounded length.
import { describe, expect, it } from 'vitest';
import { parseSubmittedUrl } from '../../src/queues/producer.js';
import { PermanentError } from '../../src/shared/errors.js';

const refusal = (raw: string) => {
  try {
    parseSubmittedUrl(raw);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(PermanentError);
    return err as PermanentError;
  }
};

describe('submitted URLs', () => {
  it('refuses URLs with credentials, saying why', () => {
    for (const raw of ['http://alice:secret@news.example/a', 'https://alice@news.example/a', 'https://:pw@news.example/a']) {
      const err = refusal(raw);
      expect(err).toMatchObject({ code: 'invalid_url' });
      expect(err!.message).toMatch(/credentials/);
      expect(err!.message).not.toContain('secret');
    }
  });

  it('refuses URLs longer than 4,096 characters without parsing them', () => {
    expect(refusal(`https://news.example/${'a'.repeat(4_100)}`)).toMatchObject({ code: 'invalid_url' });
    expect(refusal(`https://news.example/${'a'.repeat(10 * 1024 * 1024)}`)!.message).toMatch(/longer than 4096 characters/);
    expect(refusal(`https://news.example/${'a'.repeat(4_000)}`)).toBeNull();
  });
});
