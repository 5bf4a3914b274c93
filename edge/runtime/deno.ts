import { ConfigError } from '../config.ts';
import { bootstrap } from './bootstrap.ts';
import { describeListenError } from './listen-error.ts';
import { createLogger, jsonLineWriter, type Level } from '../../tenants/observability/logger.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

/** Deno entry: `deno run -A edge/runtime/deno.ts`. Same start-up as Node, served by Deno.serve. */
try {
  const platform = await bootstrap(
    Deno.env.toObject(),
    (config) =>
      createLogger({
        level: config.logLevel as Level | 'silent',
        writer: jsonLineWriter((line) => console.log(line)),
      }),
    'deno run edge/runtime/deno.ts',
  );
  platform.runner?.start();
  platform.telegramUpdates.start();
  let server: ReturnType<typeof Deno.serve>;
  try {
    server = Deno.serve(
      {
        port: platform.config.port,
        onListen: ({ port }) =>
          platform.logger.info(
            { event: 'server_listening', port, database: platform.db.kind },
            `Slotbot listening on http://localhost:${port} (database: ${platform.databaseLabel})`,
          ),
      },
      platform.app.fetch,
    );
  } catch (error) {
    // Deno.serve throws at once when the port cannot be opened (AddrInUse, PermissionDenied).
    console.error(
      describeListenError(error, platform.config.port, 'deno run -A edge/runtime/deno.ts'),
    );
    setTimeout(() => Deno.exit(1), 5000);
    await platform.shutdown();
    Deno.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.logger.info({ event: 'server_stopping', signal });
    setTimeout(() => Deno.exit(0), 5000);
    void server
      .shutdown()
      .then(() => platform.shutdown())
      .finally(() => Deno.exit(0));
  };
  Deno.addSignalListener('SIGINT', () => stop('SIGINT'));
  Deno.addSignalListener('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError)
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
  else
    console.error(
      `Slotbot failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
  Deno.exit(1);
}
