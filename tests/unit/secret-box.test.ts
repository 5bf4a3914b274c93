import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from '../../tenants/security/secret-box.ts';

const key = new Uint8Array(32).map((_, i) => i);
const otherKey = new Uint8Array(32).map((_, i) => 255 - i);
const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('secret box (AES-256-GCM)', () => {
  it('round-trips and never contains the plaintext', async () => {
    const box = await createSecretBox(key);
    const sealed = await box.encrypt(token, 'tenant_bots:1');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(token);
    expect(sealed).not.toMatch(/^[0-9]+:/);
    expect(await box.decrypt(sealed, 'tenant_bots:1')).toBe(token);
  });

  it('uses a fresh IV for every encryption', async () => {
    const box = await createSecretBox(key);
    expect(await box.encrypt(token, 'c')).not.toBe(await box.encrypt(token, 'c'));
  });

  it('refuses another context, another key, and any tampering', async () => {
    const box = await createSecretBox(key);
    const sealed = await box.encrypt(token, 'tenant_bots:1');
    await expect(box.decrypt(sealed, 'tenant_bots:2')).rejects.toBeInstanceOf(SecretBoxError);
    await expect(
      (await createSecretBox(otherKey)).decrypt(sealed, 'tenant_bots:1'),
    ).rejects.toBeInstanceOf(SecretBoxError);
    const bytes = Uint8Array.from(atob(sealed.slice(3)), (c) => c.charCodeAt(0));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    const tampered = `v1.${btoa(String.fromCharCode(...bytes))}`;
    await expect(box.decrypt(tampered, 'tenant_bots:1')).rejects.toThrow(/cannot be decrypted/);
    await expect(box.decrypt('v1.AAAA', 'x')).rejects.toThrow(/truncated/);
    await expect(box.decrypt(token, 'x')).rejects.toThrow(/unknown secret format/);
  });

  it('requires a 32-byte key', async () => {
    await expect(createSecretBox(new Uint8Array(16))).rejects.toThrow(/32 bytes/);
  });
});
