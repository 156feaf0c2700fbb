import { describe, expect, it } from 'vitest';
import { parseStaticTokens } from './static-tokens.js';

const S1 = 'secret-one-0123456789';
const S2 = 'secret-two-0123456789';

describe('parseStaticTokens', () => {
  it('named tokens sharing a name are one principal; another name is another', () => {
    const t = parseStaticTokens([`ops=${S1}`, `ops=${S2}`, `agents=${S1}x`]);
    expect(t.map((x) => [x.secret, x.principal.id])).toEqual([[S1, 'token:ops'], [S2, 'token:ops'], [`${S1}x`, 'token:agents']]);
  });

  it('unnamed tokens are each their own principal, named by a digest that never contains the secret', () => {
    const [a, b] = parseStaticTokens([S1, S2]);
    expect(a!.principal.id).toMatch(/^token:sha256-[0-9a-f]{16}$/);
    expect(a!.principal.id).not.toBe(b!.principal.id);
    expect(a!.principal.id).not.toContain(S1);
    // stable whatever the order (replicas configured differently still agree)
    expect(parseStaticTokens([S2, S1])[1]!.principal.id).toBe(a!.principal.id);
  });

  it('base64 secrets with = padding stay whole', () => {
    const [t] = parseStaticTokens(['c2VjcmV0LXZhbHVlLTEyMzQ=']);
    expect(t!.secret).toBe('c2VjcmV0LXZhbHVlLTEyMzQ=');
    const [u] = parseStaticTokens(['c2VjcmV0LXZhbHVlLTEy==']);
    expect(u!.secret).toBe('c2VjcmV0LXZhbHVlLTEy==');
    expect(u!.principal.id).toMatch(/^token:sha256-/);
  });

  it('refuses short secrets, an empty name, and one secret under two names, without echoing a secret', () => {
    expect(() => parseStaticTokens(['ops=short'])).toThrow(/at least 16 characters/);
    expect(() => parseStaticTokens([`=${S1}`])).toThrow(/name=SECRET/);
    let message = '';
    try {
      parseStaticTokens([`ops=${S1}`, `agents=${S1}`]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/one secret can authenticate only one principal/);
    expect(message).not.toContain(S1);
    // the same secret twice under the same name is harmless
    expect(parseStaticTokens([`ops=${S1}`, `ops=${S1}`])).toHaveLength(2);
  });
});
