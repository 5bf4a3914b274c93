import type { Queryable, Row } from '../db/port.ts';
import { fmt } from './harness.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** Execution time in the server, ms. */
  ms: number;
  indexes: Set<string>;
  seqScans: string[];
  /** Shared buffers of the whole plan: found in the cache, read from the OS. */
  hit: number;
  read: number;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every query `run` sends through `q` (each then runs for real, so
 * the next is the one the code would send; settings made with set_config run as they are): the
 * time in the server, the indexes read, any sequential scan and the buffers touched, summed.
 */
export async function explainAll(
  q: Queryable,
  run: (spy: Queryable) => Promise<unknown>,
): Promise<PlanSummary | undefined> {
  let found: PlanSummary | undefined;
  const spy: Queryable = {
    query: async <T extends Row>(text: string, params?: readonly unknown[]) => {
      if (/^select set_config\(/.test(text)) return q.query<T>(text, params);
      const [row] = await q.query<{ 'QUERY PLAN': unknown }>(
        `explain (analyze, buffers, format json) ${text}`,
        params,
      );
      const parsed = (
        typeof row!['QUERY PLAN'] === 'string' ? JSON.parse(row!['QUERY PLAN']) : row!['QUERY PLAN']
      ) as [{ Plan: PlanNode; 'Execution Time': number }];
      const sum: PlanSummary = found ?? {
        ms: 0,
        indexes: new Set(),
        seqScans: [],
        hit: 0,
        read: 0,
      };
      const walk = (node: PlanNode) => {
        if (node['Index Name']) sum.indexes.add(node['Index Name']);
        if (node['Node Type'] === 'Seq Scan')
          sum.seqScans.push(
            `${node['Relation Name']} (${((node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1)).toLocaleString('en-US')} rows)`,
          );
        for (const child of node.Plans ?? []) walk(child);
      };
      const top = parsed[0].Plan;
      walk(top);
      sum.ms += parsed[0]['Execution Time'];
      sum.hit += top['Shared Hit Blocks'] ?? 0;
      sum.read += top['Shared Read Blocks'] ?? 0;
      found = sum;
      return q.query<T>(text, params);
    },
  } as Queryable;
  await run(spy);
  return found;
}

/** One line: server time, indexes, sequential scans, buffers. */
export const planLine = (plan: PlanSummary | undefined): string =>
  plan
    ? `${fmt(plan.ms, 2)} ms in the server; indexes: ${[...plan.indexes].join(', ') || 'none'}${plan.seqScans.length ? `; sequential scans: ${plan.seqScans.join(', ')}` : ''}; buffers hit ${plan.hit.toLocaleString('en-US')}, read ${plan.read.toLocaleString('en-US')}`
    : 'no query';
