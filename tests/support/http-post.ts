import http from 'node:http';

/** Kept-alive connections to the apps under test, as Telegram keeps its webhook connections. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POSTs `body` to a local http:// address and reads the whole answer. The apps' webhooks are
 * driven through Node's own HTTP client rather than `fetch`: fetch costs about three times the
 * CPU per request (0.57 against 0.16 ms with the server, measured side by side), and in the
 * benches the sender shares its process with the app it measures, so its cost would be read as
 * the app's. A request that gets no answer within `timeoutMs` fails.
 */
export function httpPost(
  url: string,
  headers: Record<string, string>,
  body: string | Uint8Array,
  timeoutMs?: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
