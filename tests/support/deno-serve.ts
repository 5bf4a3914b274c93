/**
 * Runs a Deno entry that calls `Deno.serve(handler)` with no options (Supabase's pattern; Deno
 * would listen on 8000) on the port in PORT, at 127.0.0.1: `deno run -A tests/support/deno-serve.ts
 * <entry>`. The entry itself is imported unchanged.
 */
declare const Deno: {
  args: string[];
  env: { get(name: string): string | undefined };
  serve: (...args: unknown[]) => unknown;
  cwd(): string;
};

const entry = Deno.args[0];
if (!entry) throw new Error('usage: deno run -A tests/support/deno-serve.ts <entry>');
const port = Number(Deno.env.get('PORT'));
const serve = Deno.serve.bind(Deno);
Deno.serve = (handler: unknown) => serve({ port, hostname: '127.0.0.1' }, handler);
await import(new URL(entry, `file://${Deno.cwd()}/`).href);
export {};
