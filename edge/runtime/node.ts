import { serve } from '@hono/node-server';
import { ConfigError } from '../config.ts';
import { bootstrap } from './bootstrap.ts';
import { describeListenError } from './listen-error.ts';
import { chooseLogFormat, createPinoLogger } from './pino-logger.ts';

/** Node entry: `npm start`. Embedded PGlite unless DATABASE_URL is set. */
async function main(): Promise<void> {
  const terminal = process.stdout.isTTY === true;
  const platform = await bootstrap(process.env, (config) =>
    createPinoLogger(config.logLevel, {
      format: chooseLogFormat(config.logFormat, terminal),
      colorize: terminal && !process.env.NO_COLOR,
    }),
  );
  const { config, logger, app, db, runner } = platform;
  runner?.start();
  platform.telegramUpdates.start();
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    logger.info(
      { event: 'server_listening', port: info.port, database: db.kind },
      `Slotbot listening on http://localhost:${info.port} (database: ${platform.databaseLabel})`,
    );
  });
  // A port that cannot be opened (in use, privileged) ends start-up with one line, database closed.
  const cannotListen = (error: Error) => {
    process.stderr.write(`${describeListenError(error, config.port, 'npm start')}\n`);
    setTimeout(() => process.exit(1), 5000).unref();
    void platform.shutdown().finally(() => process.exit(1));
  };
  server.once('error', cannotListen);
  server.once('listening', () => server.off('error', cannotListen));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server_stopping', signal });
    server.close(() => {
      void platform.shutdown().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`Configuration error: ${problem}\n`);
  } else {
    process.stderr.write(
      `Slotbot failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
