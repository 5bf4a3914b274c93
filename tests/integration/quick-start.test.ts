import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../db/pglite.ts';
import { ChatUser, pollingEndpoint } from '../support/chat-user.ts';
import { cleanEnv, freePort, ROOT } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * The README's quick start, followed as written on a fresh data directory (what a fresh clone
 * has): its shell commands are taken from README.md and run through `sh -c` as a reader would type
 * them (Ctrl-C being SIGINT to the process group), with the Telegram stand-in as Telegram
 * (TELEGRAM_API_ROOT) and a user who taps through the booking as step 4 says, up to a confirmed
 * booking in the demo business.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TOKEN_PLACEHOLDER = '<token from BotFather>';

/** The shell lines of the quick start: its first `npm start`, then the polling start with the token. */
function quickStartCommands(): { first: string; polling: string } {
  const section = README.slice(README.indexOf('## Quick start'), README.indexOf('### Tests'));
  const shellLines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.split('\n').map((l) => l.trim()),
  );
  const first = shellLines.find((l) => l === 'npm start');
  const polling = shellLines.find((l) => l.includes(TOKEN_PLACEHOLDER));
  if (!first || !polling)
    throw new Error(`the README quick start lost its commands: ${JSON.stringify(shellLines)}`);
  return { first, polling };
}

interface Typed {
  output(): string;
  /** Resolves once the output shows `text`. */
  waitFor(text: string): Promise<void>;
  /** Ctrl-C: SIGINT to the command's process group; resolves once every process of it has ended. */
  interrupt(): Promise<void>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command line as a shell would, in the checkout, and waits until the server listens. */
async function type(command: string, env: Record<string, string>): Promise<Typed> {
  const child = spawn('sh', ['-c', command], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const pgid = child.pid!;
  let interrupted = false;
  const interrupt = async () => {
    if (!interrupted && groupAlive(pgid)) process.kill(-pgid, 'SIGINT');
    interrupted = true;
    // The shell and npm may end before the server does: wait for the whole group.
    const deadline = Date.now() + 15_000;
    while (groupAlive(pgid)) {
      if (Date.now() > deadline) {
        process.kill(-pgid, 'SIGKILL');
        throw new Error(`\`${command}\` did not stop on Ctrl-C:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 90_000;
    while (!out.includes(text)) {
      if (!groupAlive(pgid) || Date.now() > deadline) {
        await interrupt();
        throw new Error(`\`${command}\` never printed "${text}":\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor('Slotbot listening on');
  return { output: () => out, waitFor, interrupt };
}

describe('the README quick start, on a fresh data directory, with the Telegram stand-in', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-quick-start-'));
  const telegram = new TelegramStub();
  const token = `${6_400_000 + Math.floor(Math.random() * 100_000)}:AAH${'q'.repeat(32)}`;
  let running: Typed | undefined;

  beforeAll(async () => {
    await telegram.start();
    // What @BotFather's /newbot creates: a bot Telegram knows, with its token.
    telegram.addBot(token, 'my_demo_studio_bot');
  });
  afterAll(async () => {
    await running?.interrupt();
    await telegram.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'npm start, then the bot with its BotFather token in polling mode, a booking made in the chat, and the same command again',
    { timeout: 300_000 },
    async () => {
      const { first, polling } = quickStartCommands();
      const port = await freePort();
      // The reader's environment: a data directory of its own, and Telegram played by the stand-in.
      const env = {
        DATA_DIR: dataDir,
        PORT: String(port),
        TELEGRAM_API_ROOT: telegram.apiRoot,
        npm_config_update_notifier: 'false',
      };

      running = await type(first, env);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: { seeds: ['demo'] } });
      await running.interrupt();
      expect(running.output()).toContain('"event":"server_stopping"');

      running = await type(polling.replace(TOKEN_PLACEHOLDER, token), env);
      await running.waitFor(
        'Polling Telegram for @my_demo_studio_bot: open https://t.me/my_demo_studio_bot',
      );
      expect(running.output()).toContain('@my_demo_studio_bot is connected to demo');
      expect(running.output()).not.toContain(token);

      // Step 3 and 4: Start, then the taps the README names.
      const reader = new ChatUser(
        pollingEndpoint(telegram, token, 20_000),
        777_123,
        'en',
        'Reader',
      );
      expect(await reader.send('/start')).toBe(200);
      expect(reader.screen().text).toContain('Welcome to Demo Studio');
      expect(await reader.press('📅 Book a visit')).toBe(200);
      expect(await reader.press(/Berlin/)).toBe(200);
      expect(await reader.press(/Men's haircut/)).toBe(200);
      expect(await reader.press('Continue ➡️')).toBe(200);
      expect(await reader.press(/Anna/)).toBe(200);
      const firstButtonWith = (data: string) =>
        (reader.lastMessage().reply_markup?.inline_keyboard ?? [])
          .flat()
          .find((b) => b.callback_data.includes(data))!.text;
      expect(await reader.press(firstButtonWith('|d:'))).toBe(200);
      expect(await reader.press(firstButtonWith('|t:'))).toBe(200);
      expect(await reader.press('✅ Confirm')).toBe(200);
      // (A visit within the reminder's lead time also brings the reminder at once, after it.)
      expect(reader.messages().map((m) => m.text)).toContainEqual(
        expect.stringMatching(/^Booked! .* with Anna\./),
      );
      await running.interrupt();
      expect(running.output()).toContain('"event":"server_stopping"');

      // The same command on the next start: the same bot, connected once, still answering.
      running = await type(polling.replace(TOKEN_PLACEHOLDER, token), env);
      expect(await reader.send('/start')).toBe(200);
      expect(reader.screen().text).toContain('Welcome to Demo Studio');
      await running.interrupt();
      expect(running.output()).toContain('"event":"server_stopping"');
      running = undefined;

      const db = await openPglite(join(dataDir, 'pglite'));
      try {
        const rows = await db.query<{ slug: string; status: string; username: string }>(
          `select t.slug, b.status, tb.username from bookings b join tenants t on t.id = b.tenant_id join clients c on c.id = b.client_id
         join tenant_bots tb on tb.tenant_id = t.id where c.telegram_user_id = 777123`,
        );
        expect(rows).toEqual([
          { slug: 'demo', status: 'confirmed', username: 'my_demo_studio_bot' },
        ]);
        expect(await db.query('select status from tenant_bots')).toEqual([{ status: 'active' }]);
      } finally {
        await db.close();
      }
    },
  );
});
