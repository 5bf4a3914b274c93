/** @jsxImportSource hono/jsx */
import { AdminLayout } from '../admin-layout.tsx';
import { page, type AdminRequest } from '../request.ts';

/**
 * A refusal as a page: what happened and what to do, in the visitor's language, with the status
 * code that says it (401 sign in, 403 not for you / form expired, 404, 413, 429).
 */
export function errorPage(
  r: AdminRequest,
  status: number,
  what: string,
  how: string,
  options: { signIn?: boolean } = {},
): Response {
  return page(
    r,
    <AdminLayout r={r} title={`${what} · Slotbot`}>
      <h1>{what}</h1>
      <p class="lead">{how}</p>
      <p>
        {options.signIn || !r.identity ? (
          <a href="/admin/signin">{r.t.errors.signInLink}</a>
        ) : (
          <a href="/admin">{r.t.errors.back}</a>
        )}
      </p>
      <p class="muted">
        {r.t.errors.reference} <code>{r.correlationId}</code>
      </p>
    </AdminLayout>,
    { status },
  );
}
