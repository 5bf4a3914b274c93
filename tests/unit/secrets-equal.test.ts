import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../tenants/security/tokens.ts';

describe('secretsEqual', () => {
  const secret = 'Zk3_q-9vWc0rLmT2aBxYp7N1sEoUdFhGiJ4K5l6M8n';

  it('accepts the same secret and nothing else', async () => {
    expect(await secretsEqual(secret, secret)).toBe(true);
    expect(await secretsEqual(`${secret}`.slice(0, -1) + 'o', secret)).toBe(false);
    expect(await secretsEqual(secret.slice(0, -1), secret)).toBe(false); // a prefix
    expect(await secretsEqual(`${secret}${secret}`, secret)).toBe(false); // repeated
    expect(await secretsEqual(`${secret}x`, secret)).toBe(false);
    expect(await secretsEqual('', secret)).toBe(false);
    expect(await secretsEqual(undefined, secret)).toBe(false);
  });

  it('never matches an empty expected secret', async () => {
    expect(await secretsEqual('', '')).toBe(false);
    expect(await secretsEqual('a', '')).toBe(false);
  });

  it('compares characters beyond Latin-1 exactly', async () => {
    expect(await secretsEqual('пароль✓', 'пароль✓')).toBe(true);
    expect(await secretsEqual('пароль✓', 'пароль✔')).toBe(false);
  });
});
