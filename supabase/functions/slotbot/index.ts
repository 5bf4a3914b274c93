import { Hono } from 'hono';
import { mount } from 'hono/mount';
import { requestScopedApp } from '../../../edge/runtime/request-scoped.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(handler: (request: Request) => Response | Promise<Response>): unknown;
};
/** Supabase's Edge Runtime: background work that may outlive the response. Absent on plain Deno. */
declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void } | undefined;

/**
 * Supabase Edge Functions entry (Deno): the same app as the Worker, one connection per request
 * (`edge/runtime/request-scoped.ts`). Hono's pattern for Supabase: the function's URL is
 * `https://<project>.supabase.co/functions/v1/slotbot/...` and the function sees the path from its
 * name on (`/slotbot/tg/<bot id>`), so the app is mounted under `/slotbot`; PUBLIC_URL is
 * `https://<project>.supabase.co/functions/v1/slotbot`. Deploy with `supabase functions deploy
 * slotbot --no-verify-jwt`: Telegram and QStash carry their own proofs (the webhook secret, the
 * QStash signature), not a Supabase JWT. There is no start-up and no timer: migrations run from
 * Node, and the periodic upkeep (holds, embedded jobs, digests) needs a scheduler that calls in,
 * see README "Deployment".
 */
const functionName = 'slotbot';
const env = Deno.env.toObject();
const platform = requestScopedApp('Supabase Edge Functions');
const waitUntil = (promise: Promise<unknown>) => {
  if (typeof EdgeRuntime !== 'undefined') EdgeRuntime.waitUntil(promise);
  else promise.catch(() => {});
};

const app = new Hono().basePath(`/${functionName}`);
app.all(
  '/*',
  mount((request) => platform.fetch(request, env, waitUntil)),
);

Deno.serve(app.fetch);
