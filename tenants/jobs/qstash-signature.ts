import { Receiver } from '@upstash/qstash';

export interface SignatureCheck {
  /** The `Upstash-Signature` header; absent means unsigned. */
  signature: string | undefined;
  /** The raw body text exactly as received (its SHA-256 is inside the signature). */
  body: string;
  /** The URL the message was published to (the signature's subject). */
  url: string;
}

export type VerifySignature = (input: SignatureCheck) => Promise<boolean>;

export interface QstashSigningKeys {
  currentSigningKey: string;
  nextSigningKey: string;
  /**
   * Seconds of clock difference tolerated on the token's `nbf` and `exp`. QStash sets `nbf` to the
   * moment it signs, so a host clock a little behind QStash's would otherwise refuse fresh
   * deliveries. Default 5.
   */
  clockToleranceSeconds?: number;
}

/**
 * Checks QStash's `Upstash-Signature` (a JWT, HS256) with the library's Receiver: issuer, expiry,
 * not-before, subject = the URL and the body's hash; the current key first, then the next one (key
 * rotation). Any failure, including the Receiver throwing, is `false`.
 */
export function qstashSignatureVerifier(keys: QstashSigningKeys): VerifySignature {
  // devMode false: a stray QSTASH_DEV variable must never swap our keys for the SDK's public dev keys.
  const receiver = new Receiver({
    currentSigningKey: keys.currentSigningKey,
    nextSigningKey: keys.nextSigningKey,
    devMode: false,
  });
  const clockTolerance = keys.clockToleranceSeconds ?? 5;
  return async ({ signature, body, url }) => {
    if (!signature) return false;
    try {
      return await receiver.verify({ signature, body, url, clockTolerance });
    } catch {
      return false;
    }
  };
}
