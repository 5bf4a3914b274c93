/**
 * Encrypts secrets at rest (bot tokens, webhook secrets, payment provider tokens) with AES-256-GCM
 * through WebCrypto, so it runs unchanged on Node, Workers and Deno.
 *
 * Format: `v1.` + base64(12-byte IV || ciphertext with tag). The `context` (e.g. the row it belongs
 * to) is bound as additional data: a ciphertext copied to another row fails to decrypt.
 */
export interface SecretBox {
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(sealed: string, context: string): Promise<string>;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

const PREFIX = 'v1.';
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(text: string): Bytes {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

type Bytes = Uint8Array<ArrayBuffer>;

export async function createSecretBox(
  rawKey: Uint8Array,
  random: (bytes: Bytes) => Bytes = (b) => crypto.getRandomValues(b),
): Promise<SecretBox> {
  if (rawKey.length !== 32) throw new SecretBoxError('encryption key must be 32 bytes');
  const key = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(rawKey),
    { name: 'AES-GCM' },
    false,
    ['encrypt', 'decrypt'],
  );
  return {
    async encrypt(plaintext, context) {
      const iv = random(new Uint8Array(12));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
          key,
          encoder.encode(plaintext),
        ),
      );
      const out = new Uint8Array(iv.length + sealed.length);
      out.set(iv);
      out.set(sealed, iv.length);
      return PREFIX + toBase64(out);
    },
    async decrypt(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new SecretBoxError('unknown secret format');
      let bytes: Bytes;
      try {
        bytes = fromBase64(sealed.slice(PREFIX.length));
      } catch {
        throw new SecretBoxError('secret is not valid base64');
      }
      if (bytes.length < 12 + 16) throw new SecretBoxError('secret is truncated');
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encoder.encode(context) },
          key,
          bytes.slice(12),
        );
        return new TextDecoder().decode(plain);
      } catch {
        throw new SecretBoxError('secret cannot be decrypted with this key and context');
      }
    },
  };
}
