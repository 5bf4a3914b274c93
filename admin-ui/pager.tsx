/** @jsxImportSource hono/jsx */
import type { AdminRequest } from './request.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row a keyset page starts after (`?after=<id>`); anything else: the first page. */
export const afterIdOf = (r: AdminRequest): string | undefined => {
  const after = r.query('after');
  return after && UUID.test(after) ? after : undefined;
};

/**
 * One page of a keyset list read with `limit: size + 1`: the rows to show and the links to the
 * next page (after the last row shown) and back to the first, keeping the list's other filters.
 */
export function keysetPage<T extends { id: string }>(
  rows: T[],
  p: {
    size: number;
    path: string;
    keep: Record<string, string | string[]>;
    afterId: string | undefined;
  },
) {
  const items = rows.slice(0, p.size);
  const query = (extra: Record<string, string>) => {
    const q = queryString({ ...p.keep, ...extra });
    return q ? `${p.path}?${q}` : p.path;
  };
  return {
    items,
    more: rows.length > p.size,
    next: rows.length > p.size ? query({ after: items.at(-1)!.id }) : undefined,
    first: p.afterId ? query({}) : undefined,
  };
}

/** A query string with repeated names for lists (`status=held&status=confirmed`). */
export function queryString(params: Record<string, string | string[]>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const v of Array.isArray(value) ? value : [value]) q.append(name, v);
  return q.toString();
}

/** "First page" and "Next page" under a list, where there are such pages. */
export function Pager(props: {
  r: AdminRequest;
  first?: string | undefined;
  next?: string | undefined;
}) {
  const { r } = props;
  if (!props.first && !props.next) return null;
  return (
    <p class="actions">
      {props.first ? <a href={props.first}>{r.t.pager.first}</a> : null}
      {props.next ? (
        <a href={props.next} rel="next">
          {r.t.pager.next}
        </a>
      ) : null}
    </p>
  );
}
