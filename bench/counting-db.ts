import type { Database, Queryable } from '../db/port.ts';

/** What a database was asked to do: transactions (a statement outside one counting as one) and statements. */
export interface DbCounts {
  transactions: number;
  statements: number;
  /** Statements by their first words, to see what an update spends its round trips on. */
  byStatement: Map<string, number>;
}

/** Wraps a database port to count its transactions and statements (bench only: the app never sees it). */
export function countingDatabase(db: Database): { db: Database; counts: DbCounts; reset(): void } {
  const counts: DbCounts = { transactions: 0, statements: 0, byStatement: new Map() };
  const note = (text: string) => {
    counts.statements++;
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    counts.byStatement.set(key, (counts.byStatement.get(key) ?? 0) + 1);
  };
  const counted = (q: Queryable): Queryable => ({
    query: (text, params) => {
      note(text);
      return q.query(text, params);
    },
    exec: (script) => {
      note(script);
      return q.exec(script);
    },
  });
  const wrapped: Database = {
    kind: db.kind,
    location: db.location,
    query: (text, params) => {
      counts.transactions++;
      note(text);
      return db.query(text, params);
    },
    exec: (script) => {
      counts.transactions++;
      note(script);
      return db.exec(script);
    },
    transaction: (fn, options) => {
      counts.transactions++;
      return db.transaction((tx) => fn(counted(tx)), options);
    },
    close: () => db.close(),
  };
  return {
    db: wrapped,
    counts,
    reset() {
      counts.transactions = 0;
      counts.statements = 0;
      counts.byStatement.clear();
    },
  };
}
