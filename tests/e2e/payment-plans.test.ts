import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import type { LocationPolicy } from '../../tenants/policy/location-policy.ts';
import {
  createBookingWorld,
  OPEN_POLICY,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { migratedPostgres } from '../support/pg.ts';

/**
 * Money shown is money due: every way of paying (cards through the bot's provider token, Telegram
 * Stars, at the venue) × every policy (no deposit, a 20 % deposit, full prepayment for a client with
 * a no-show), booked through the bot's screens: what the client reads, the booking's state, the
 * payments rows and the invoice. The service costs 30.00 (EUR, USD) or 30 Stars.
 */
const policies: Record<'none' | 'deposit' | 'prepayment', LocationPolicy> = {
  none: { ...OPEN_POLICY, deposit: { mode: 'none', percent: 20, noShowThreshold: 1 } },
  deposit: { ...OPEN_POLICY, deposit: { mode: 'always', percent: 20, noShowThreshold: 1 } },
  prepayment: {
    ...OPEN_POLICY,
    deposit: { mode: 'no_show_flagged', percent: 20, noShowThreshold: 1 },
  },
};
type Case = keyof typeof policies;

interface Expected {
  text: RegExp;
  status: string;
  payments: {
    provider: string;
    purpose: string;
    amount_minor: number;
    currency: string;
    status: string;
  }[];
  invoice?: { currency: string; amount: number; title: string };
}

const booked = (tail: string) =>
  new RegExp(`^Booked! .+ with Master 1\\. ${tail.replace(/[.$()]/g, '\\$&')}$`);
const held = (tail: string) =>
  new RegExp(`^Your visit .+ with Master 1 is held for you\\. ${tail.replace(/[.$()]/g, '\\$&')}$`);

const MATRIX: Record<'card' | 'stars' | 'venue', Record<Case, Expected>> = {
  card: {
    none: { text: booked('See you!'), status: 'confirmed', payments: [] },
    deposit: {
      text: held(
        'A deposit of €6.00 is required to confirm it; the invoice follows. The rest, €24.00, is paid at the venue.',
      ),
      status: 'pending_payment',
      payments: [
        {
          provider: 'telegram',
          purpose: 'deposit',
          amount_minor: 600,
          currency: 'EUR',
          status: 'pending',
        },
      ],
      invoice: { currency: 'EUR', amount: 600, title: 'Deposit for your visit' },
    },
    prepayment: {
      text: held(
        'Payment of the full price, €30.00, is required to confirm it; the invoice follows.',
      ),
      status: 'pending_payment',
      payments: [
        {
          provider: 'telegram',
          purpose: 'prepayment',
          amount_minor: 3000,
          currency: 'EUR',
          status: 'pending',
        },
      ],
      invoice: { currency: 'EUR', amount: 3000, title: 'Prepayment for your visit' },
    },
  },
  stars: {
    none: { text: booked('See you!'), status: 'confirmed', payments: [] },
    deposit: {
      text: held(
        'A deposit of 6 ⭐ is required to confirm it; the invoice follows. The rest, 24 ⭐, is paid at the venue.',
      ),
      status: 'pending_payment',
      payments: [
        {
          provider: 'telegram_stars',
          purpose: 'deposit',
          amount_minor: 6,
          currency: 'XTR',
          status: 'pending',
        },
      ],
      invoice: { currency: 'XTR', amount: 6, title: 'Deposit for your visit' },
    },
    prepayment: {
      text: held(
        'Payment of the full price, 30 ⭐, is required to confirm it; the invoice follows.',
      ),
      status: 'pending_payment',
      payments: [
        {
          provider: 'telegram_stars',
          purpose: 'prepayment',
          amount_minor: 30,
          currency: 'XTR',
          status: 'pending',
        },
      ],
      invoice: { currency: 'XTR', amount: 30, title: 'Prepayment for your visit' },
    },
  },
  // No online payments: nothing is taken ahead, and the whole price is what is due at the venue.
  venue: {
    none: { text: booked('See you!'), status: 'confirmed', payments: [] },
    deposit: { text: booked('Please pay $30.00 at the venue.'), status: 'confirmed', payments: [] },
    prepayment: {
      text: booked('Please pay $30.00 at the venue.'),
      status: 'confirmed',
      payments: [],
    },
  },
};

describe('what a client is asked to pay, for every provider and policy', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const setups = {} as Record<keyof typeof MATRIX, { world: BookingWorld; harness: BotHarness }>;
  let nextUser = 7000;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('payment_plans'));
    for (const provider of ['card', 'stars', 'venue'] as const) {
      const world = await createBookingWorld(db, { masters: 1, clients: 0 });
      if (provider === 'stars') {
        await asPlatform(db, (tx) =>
          tx.query("update locations set currency = 'XTR' where id = $1", [world.locationId]),
        );
        await asPlatform(db, (tx) =>
          tx.query('update services set price_minor = price_minor / 100 where location_id = $1', [
            world.locationId,
          ]),
        );
      }
      if (provider === 'venue')
        await asPlatform(db, (tx) =>
          tx.query("update locations set currency = 'USD' where id = $1", [world.locationId]),
        );
      const harness = new BotHarness(db);
      await harness.start(world.tenantId);
      if (provider === 'card') await harness.setPaymentToken('284685063:TEST:cGxhbnMtY2FyZA');
      setups[provider] = { world, harness };
    }
  });
  afterAll(async () => {
    for (const { harness } of Object.values(setups)) await harness.stop();
    await cleanup();
  });

  const cases = (['card', 'stars', 'venue'] as const).flatMap((provider) =>
    (['none', 'deposit', 'prepayment'] as const).map((policy, i) => ({
      provider,
      policy,
      day: i + 1,
    })),
  );

  it.each(cases)('$provider × $policy', async ({ provider, policy, day }) => {
    const { world, harness } = setups[provider];
    const expected = MATRIX[provider][policy];
    await asPlatform(db, (tx) =>
      tx.query('update locations set policy = $2::jsonb where id = $1', [
        world.locationId,
        JSON.stringify(policies[policy]),
      ]),
    );
    const user = harness.user(nextUser++);
    await user.send('/start');
    // Prepayment is asked of clients with a no-show on record.
    if (policy === 'prepayment')
      await asPlatform(db, (tx) =>
        tx.query(
          'update clients set no_show_count = 1 where tenant_id = $1 and telegram_user_id = $2',
          [world.tenantId, user.id],
        ),
      );
    const invoicesBefore = harness.stub.invoices.length;

    await user.press('Book');
    await user.press(/^cut/);
    await user.press('Continue');
    await user.press('Master 1');
    await user.press(
      DateTime.now()
        .setZone(ZONE)
        .startOf('day')
        .plus({ days: day })
        .setLocale('en')
        .toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
    );
    await user.press('Later');
    await user.press('10:00 AM');
    await user.press('Confirm');

    expect(user.screen().text).toMatch(expected.text);
    const [booking] = await asPlatform(db, (tx) =>
      tx.query<{ id: string; status: string; total_minor: number }>(
        'select b.id, b.status, b.total_minor::int from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = $1 and b.tenant_id = $2',
        [user.id, world.tenantId],
      ),
    );
    expect(booking!.status).toBe(expected.status);
    const payments = await asPlatform(db, (tx) =>
      tx.query(
        'select provider, purpose, amount_minor::int, currency, status from payments where booking_id = $1 order by created_at',
        [booking!.id],
      ),
    );
    expect(payments).toEqual(expected.payments);
    const invoices = harness.stub.invoices.slice(invoicesBefore);
    if (expected.invoice) {
      expect(invoices).toHaveLength(1);
      expect(invoices[0]).toMatchObject({
        chatId: user.id,
        currency: expected.invoice.currency,
        title: expected.invoice.title,
        prices: [{ amount: expected.invoice.amount }],
      });
    } else {
      expect(invoices).toEqual([]);
    }
  });
});
