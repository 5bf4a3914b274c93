/**
 * Reads a request body as text, at most `limit` bytes. A declared Content-Length over the limit is
 * refused without reading anything; a body without one (chunked) is read until it passes the limit
 * and then dropped, so memory stays bounded whatever a client sends.
 */
export async function readCappedBody(
  request: Request,
  limit: number,
): Promise<{ ok: true; text: string } | { ok: false; reason: 'too_large' }> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit)
    return { ok: false, reason: 'too_large' };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}
