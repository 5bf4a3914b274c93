import type { Hono } from 'hono';
import { ASSETS } from '../admin-ui/assets.ts';
import { negotiateLanguage } from '../admin-ui/i18n/languages.ts';
import { renderLandingPage, type PlatformHealth } from '../admin-ui/pages/landing.tsx';
import { pageHeaders } from '../admin-ui/page-headers.ts';
import type { AppEnv } from './app.ts';

/** q of each media range in an Accept header. */
function acceptWeights(accept: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (range.trim()) weights.set(range.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  return weights;
}

/**
 * JSON for a client that names application/json and does not name text/html above it. A browser
 * names text/html; `*\/*` alone (curl) gets the page.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const weights = acceptWeights(accept);
  return (weights.get('application/json') ?? 0) > (weights.get('text/html') ?? 0);
}

/** `GET /` (a page for people, a small JSON document for programs) and the pages' static files. */
export function registerLandingRoutes(
  app: Hono<AppEnv>,
  health: () => Promise<PlatformHealth>,
): void {
  app.get('/', async (c) => {
    const report = await health();
    const vary = { vary: 'Accept, Accept-Language', 'cache-control': 'no-store' };
    if (prefersJson(c.req.header('accept'))) {
      return c.json(
        {
          name: 'Slotbot',
          description: "A booking platform for businesses' Telegram bots",
          status: report.status,
          links: { health: '/healthz' },
          admin: { signup: '/admin/signup', signin: '/admin/signin' },
        },
        200,
        vary,
      );
    }
    const lang = negotiateLanguage(c.req.query('lang'), c.req.header('accept-language'));
    return new Response(renderLandingPage({ lang, health: report }), {
      headers: { ...pageHeaders(lang), ...vary },
    });
  });

  app.get('/assets/:file', (c) => {
    const asset = ASSETS[new URL(c.req.url).pathname];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    });
  });
}
