import { describe, expect, it } from 'vitest';
import { readCappedBody } from '../../edge/body.ts';

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://app.test/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

/** A body sent in pieces, with no declared length, as a chunked upload arrives. */
const pieces = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe('readCappedBody', () => {
  it('reads a body whose declared length is within the cap, as UTF-8 text', async () => {
    const text = '{"update_id":1,"text":"привет"}';
    const length = String(new TextEncoder().encode(text).byteLength);
    expect(await readCappedBody(post(text, { 'content-length': length }), 1024)).toEqual({
      ok: true,
      text,
    });
    expect(await readCappedBody(post('', { 'content-length': '0' }), 1024)).toEqual({
      ok: true,
      text: '',
    });
  });

  it('refuses a declared length over the cap', async () => {
    expect(await readCappedBody(post('x'.repeat(11), { 'content-length': '11' }), 10)).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });

  it('reads a body without a declared length up to the cap, and refuses one past it', async () => {
    expect(await readCappedBody(post(pieces('abc', 'def')), 6)).toEqual({
      ok: true,
      text: 'abcdef',
    });
    expect(await readCappedBody(post(pieces('abc', 'def', 'g')), 6)).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });
});
