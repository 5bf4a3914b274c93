import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  createBookingWorld,
  OPEN_POLICY,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness, type ChatUser } from '../support/bot-harness.ts';
import { migratedPostgres } from '../support/pg.ts';
import type { StubInvoice, StubStarTransaction } from '../support/telegram-stub.ts';

const MIN = 60_000;
const DEPOSIT_POLICY = {
  ...OPEN_POLICY,
  holdMinutes: 15,
  deposit: { mode: 'always' as const, percent: 30, noShowThreshold: 2 },
};

describe('payments through the bot: invoices, pre-checkout, settlement, expiry, late payments, refunds', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let stars: BookingWorld;
  let hs: BotHarness;
  let rival: BookingWorld;
  let hr: BotHarness;
  let nextUser = 900;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('payments_e2e'));
    w = await createBookingWorld(db, { masters: 2, clients: 1, policy: DEPOSIT_POLICY });
    h = new BotHarness(db);
    await h.start(w.tenantId);
    await h.setPaymentToken('284685063:TEST:Zm9vYmFyYmF6');
    // A business that prices in Telegram Stars.
    stars = await createBookingWorld(db, { masters: 1, clients: 1, policy: DEPOSIT_POLICY });
    await asPlatform(db, (tx) =>
      tx.query("update locations set currency = 'XTR' where id = $1", [stars.locationId]),
    );
    await asPlatform(db, (tx) =>
      tx.query('update services set price_minor = price_minor / 100 where location_id = $1', [
        stars.locationId,
      ]),
    );
    hs = new BotHarness(db);
    await hs.start(stars.tenantId);
    // A second business taking cards, with a bot of its own.
    rival = await createBookingWorld(db, { masters: 1, clients: 1, policy: DEPOSIT_POLICY });
    hr = new BotHarness(db);
    await hr.start(rival.tenantId);
    await hr.setPaymentToken('284685063:TEST:b3RoZXJidXNpbmVzcw');
  });
  // Holds are stamped by the database's clock; each test starts with the platform's clock on it.
  beforeEach(() => {
    h.offsetMs = 0;
    hs.offsetMs = 0;
    hr.offsetMs = 0;
  });
  afterAll(async () => {
    await h.stop();
    await hs.stop();
    await hr.stop();
    await cleanup();
  });

  const bookingOf = async (telegramId: number) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string; status: string; start_at: Date; hold_expires_at: Date | null }>(
          'select b.id, b.status, b.start_at, b.hold_expires_at from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = $1 order by b.created_at desc',
          [telegramId],
        ),
      )
    )[0]!;
  const paymentsOf = (bookingId: string) =>
    asPlatform(db, (tx) =>
      tx.query<{
        status: string;
        amount_minor: number;
        refunded_minor: number;
        telegram_payment_charge_id: string | null;
        provider_payment_charge_id: string | null;
        provider: string;
      }>(
        'select status, amount_minor::int, refunded_minor::int, telegram_payment_charge_id, provider_payment_charge_id, provider from payments where booking_id = $1',
        [bookingId],
      ),
    );
  const statusOf = async (bookingId: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
      )
    )[0]!.status;
  const noticesOf = (tenantId: string) =>
    asPlatform(db, (tx) =>
      tx.query<{ kind: string; booking_id: string | null; detail: Record<string, unknown> }>(
        'select kind, booking_id, detail from owner_notifications where tenant_id = $1 order by created_at',
        [tenantId],
      ),
    );
  const starPayment = (
    user: ChatUser,
    payload: string,
    id: string,
    amount = 9,
  ): StubStarTransaction => ({
    id,
    amount,
    date: 0,
    source: {
      type: 'user',
      transaction_type: 'invoice_payment',
      user: { id: user.id, is_bot: false, first_name: 'x' },
      invoice_payload: payload,
    },
  });

  /** A client holding a slot with an invoice sent, the quick way (the bot's own path is tested once, below). */
  async function heldWithInvoice(
    harness: BotHarness,
    world: BookingWorld,
    opts: { daysAhead?: number; hour?: number } = {},
  ): Promise<{ user: ChatUser; invoice: StubInvoice; bookingId: string; start: number }> {
    const user = harness.user(nextUser++);
    await user.send('/start');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>(
        'select id from clients where telegram_user_id = $1 and tenant_id = $2',
        [user.id, world.tenantId],
      ),
    );
    // Each held time of its own (days 10 and later), apart from the ones tests ask for.
    const k = nextUser - 900;
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: opts.daysAhead ?? 10 + Math.floor(k / 8), hours: opts.hour ?? 9 + (k % 8) })
      .toMillis();
    const booked = await harness.services.booking.book({
      tenantId: world.tenantId,
      locationId: world.locationId,
      clientId: client!.id,
      serviceIds: [world.services.cut],
      start,
      masterId: world.masterIds[0],
      actor: { kind: 'client' },
    });
    if (booked.kind !== 'booked' || !booked.payment.required)
      throw new Error(`expected a held booking needing payment, got ${booked.kind}`);
    const started = await harness.services.payments.start({
      tenantId: world.tenantId,
      booking: booked.booking,
      requirement: booked.payment,
      chatId: user.id,
      actor: { kind: 'client', clientId: client!.id },
      text: () => ({ title: 'Deposit for your visit', description: 'cut', label: 'Deposit' }),
    });
    expect(started.kind).toBe('invoice_sent');
    return { user, invoice: harness.stub.invoices.at(-1)!, bookingId: booked.booking.id, start };
  }

  it('a deposit through every screen: invoice, pre-checkout answered yes, payment confirms once (also when reported twice)', async () => {
    const ann = h.user(801);
    await ann.send('/start');
    await ann.press('Book');
    await ann.press(/^cut/);
    await ann.press('Continue');
    await ann.press('Master 1');
    const tomorrow = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });
    await ann.press(
      tomorrow.setLocale('en').toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
    );
    await ann.press('Later');
    await ann.press('10:00 AM');
    await ann.press('Confirm');
    expect(ann.screen().text).toContain(
      'A deposit of €9.00 is required to confirm it; the invoice follows. The rest, €21.00, is paid at the venue.',
    );

    const invoice = h.stub.invoices.at(-1)!;
    expect(invoice).toMatchObject({
      chatId: 801,
      title: 'Deposit for your visit',
      currency: 'EUR',
      prices: [{ label: 'Deposit', amount: 900 }],
      providerToken: '284685063:TEST:Zm9vYmFyYmF6',
    });
    expect(invoice.description).toContain('cut with Master 1');
    let booking = await bookingOf(801);
    expect(booking.status).toBe('pending_payment');
    expect(await paymentsOf(booking.id)).toEqual([
      expect.objectContaining({ status: 'pending', amount_minor: 900, provider: 'telegram' }),
    ]);

    expect(await ann.deliver(ann.preCheckoutUpdate(invoice))).toBe(200);
    expect(h.stub.callsOf('answerPreCheckoutQuery').at(-1)!.params).toMatchObject({ ok: true });

    const paid = ann.paymentUpdate(invoice, 'tg-charge-1');
    expect(await ann.deliver(paid)).toBe(200);
    booking = await bookingOf(801);
    expect(booking.status).toBe('confirmed');
    expect(ann.lastMessage().text).toContain('Payment received');
    expect(await paymentsOf(booking.id)).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        telegram_payment_charge_id: 'tg-charge-1',
        provider_payment_charge_id: 'prov-tg-charge-1',
      }),
    ]);
    // Reminders now wait for the visit.
    const reminders = await asPlatform(db, (tx) =>
      tx.query<{ key: string }>('select key from jobs where key like $1 order by key', [
        `reminder:${booking.id}:%`,
      ]),
    );
    expect(reminders.map((r) => r.key)).toEqual(
      [`reminder:${booking.id}:1440`, `reminder:${booking.id}:180`].sort(),
    );

    // The same payment reported again (same update, and a new update with the same charge): no second effect.
    const messagesBefore = ann.messages().length;
    expect(await ann.deliver(paid)).toBe(200);
    expect(await ann.deliver(ann.paymentUpdate(invoice, 'tg-charge-1'))).toBe(200);
    expect(ann.messages().length).toBe(messagesBefore);
    const history = await asPlatform(db, (tx) =>
      tx.query<{ to_status: string }>(
        'select to_status from booking_status_history where booking_id = $1 order by occurred_at',
        [booking.id],
      ),
    );
    expect(history.map((r) => r.to_status)).toEqual(['held', 'pending_payment', 'confirmed']);
  });

  it('unpaid: the hold expires at its time, the client is told with a way to book again, a late pre-checkout is refused', async () => {
    const { user, invoice, bookingId } = await heldWithInvoice(h, w);
    // Whatever else is due now (an earlier test's reminders, depending on the hour) runs; this
    // hold's own expiry is not due yet.
    await h.runJobs();
    expect((await bookingOf(user.id)).status).toBe('pending_payment');
    expect(user.lastMessage().text).not.toContain('has run out');
    h.offsetMs += 15 * MIN + 1000;
    await h.runJobs();
    expect((await bookingOf(user.id)).status).toBe('expired');
    const notice = user.lastMessage();
    expect(notice.text).toContain('has run out, so the time was released');
    // A job delivered twice more: still one release and one notice.
    const job = {
      kind: 'hold_expire' as const,
      key: `hold_expire:${bookingId}`,
      payload: { bookingId },
      tenantId: w.tenantId,
      attempt: 2,
      correlationId: 'test-redelivery',
    };
    const { silentLogger } = await import('../support/booking-world.ts');
    await Promise.all([
      h.services.dispatcher.dispatch(job, silentLogger),
      h.services.dispatcher.dispatch({ ...job, attempt: 3 }, silentLogger),
    ]);
    expect(user.messages().filter((m) => m.text.includes('has run out')).length).toBe(1);
    const expiries = await asPlatform(db, (tx) =>
      tx.query(
        "select 1 from booking_status_history where booking_id = $1 and to_status = 'expired'",
        [bookingId],
      ),
    );
    expect(expiries).toHaveLength(1);

    await user.deliver(user.preCheckoutUpdate(invoice));
    expect(h.stub.callsOf('answerPreCheckoutQuery').at(-1)!.params).toMatchObject({
      ok: false,
      error_message: 'This hold has run out, so no payment was taken. Please book again.',
    });

    await user.press('Book a visit', notice);
    expect(user.lastMessage().text).toContain('Choose one or more services');

    // A minute after the hold, the reconcile finds nothing paid: the payment failed, owners hear of it.
    h.offsetMs += 2 * MIN;
    await h.runJobs();
    expect(await paymentsOf(bookingId)).toEqual([expect.objectContaining({ status: 'failed' })]);
    const notices = await asPlatform(db, (tx) =>
      tx.query<{ kind: string }>('select kind from owner_notifications where booking_id = $1', [
        bookingId,
      ]),
    );
    expect(notices.map((n) => n.kind)).toContain('payment_failed');
  });

  it('a pre-checkout for another amount is refused with the reason', async () => {
    const { user, invoice } = await heldWithInvoice(h, w);
    await user.deliver(user.preCheckoutUpdate(invoice, 1));
    expect(h.stub.callsOf('answerPreCheckoutQuery').at(-1)!.params).toMatchObject({
      ok: false,
      error_message: 'The amount has changed; please use the latest invoice.',
    });
  });

  it('a payment after expiry confirms the booking when its time is still free', async () => {
    const { user, invoice, bookingId } = await heldWithInvoice(h, w);
    h.offsetMs += 16 * MIN;
    await h.runJobs();
    expect((await bookingOf(user.id)).status).toBe('expired');
    await user.deliver(user.paymentUpdate(invoice, `late-free-${bookingId}`));
    expect((await bookingOf(user.id)).status).toBe('confirmed');
    expect(user.lastMessage().text).toContain('the time was still free');
    const history = await asPlatform(db, (tx) =>
      tx.query<{ to_status: string; reason: string }>(
        'select to_status, reason from booking_status_history where booking_id = $1 order by occurred_at',
        [bookingId],
      ),
    );
    expect(history.at(-1)).toEqual({ to_status: 'confirmed', reason: 'late payment confirmed' });
  });

  it('a card payment after expiry into a taken slot: booking stays expired, owners are told to refund, the client is told', async () => {
    const { user, invoice, bookingId, start } = await heldWithInvoice(h, w);
    h.offsetMs += 16 * MIN;
    await h.runJobs();
    const other = h.user(nextUser++);
    await other.send('/start');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from clients where telegram_user_id = $1', [other.id]),
    );
    const taken = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: client!.id,
      serviceIds: [w.services.cut],
      start,
      masterId: w.masterIds[0],
      actor: { kind: 'client' },
    });
    expect(taken.kind).toBe('booked');
    await user.deliver(user.paymentUpdate(invoice, `late-taken-${bookingId}`));
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
        )
      )[0]!.status,
    ).toBe('expired');
    expect(user.lastMessage().text).toContain('The business will refund €9.00');
    expect(await paymentsOf(bookingId)).toEqual([
      expect.objectContaining({ status: 'succeeded', refunded_minor: 0 }),
    ]);
    const notices = await asPlatform(db, (tx) =>
      tx.query<{ kind: string; detail: { amountMinor: number } }>(
        'select kind, detail from owner_notifications where booking_id = $1',
        [bookingId],
      ),
    );
    expect(notices).toContainEqual({
      kind: 'refund_needed',
      detail: expect.objectContaining({ amountMinor: 900 }),
    });
  });

  it('Stars: a payment after expiry into a taken slot is refunded through Telegram', async () => {
    const { user, invoice, bookingId, start } = await heldWithInvoice(hs, stars);
    expect(invoice).toMatchObject({ currency: 'XTR', prices: [{ label: 'Deposit', amount: 9 }] });
    expect(invoice.providerToken).toBeUndefined();
    hs.offsetMs += 16 * MIN;
    await hs.runJobs();
    const other = hs.user(nextUser++);
    await other.send('/start');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from clients where telegram_user_id = $1', [other.id]),
    );
    expect(
      (
        await hs.services.booking.book({
          tenantId: stars.tenantId,
          locationId: stars.locationId,
          clientId: client!.id,
          serviceIds: [stars.services.cut],
          start,
          masterId: stars.masterIds[0],
          actor: { kind: 'client' },
        })
      ).kind,
    ).toBe('booked');
    const charge = `star-${bookingId}`;
    hs.stub.starTransactions.push({
      id: charge,
      amount: 9,
      date: 0,
      source: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user: { id: user.id, is_bot: false, first_name: 'x' },
        invoice_payload: invoice.payload,
      },
    });
    await user.deliver(user.paymentUpdate(invoice, charge));
    expect(hs.stub.callsOf('refundStarPayment').at(-1)!.params).toEqual({
      user_id: user.id,
      telegram_payment_charge_id: charge,
    });
    expect(await paymentsOf(bookingId)).toEqual([
      expect.objectContaining({ status: 'refunded', refunded_minor: 9 }),
    ]);
    expect(user.lastMessage().text).toContain('We refunded');
  });

  it('Stars: a payment whose update was lost is found by the reconcile and confirms the booking', async () => {
    const { user, invoice, bookingId } = await heldWithInvoice(hs, stars);
    hs.stub.starTransactions.push({
      id: `found-${bookingId}`,
      amount: 9,
      date: 0,
      source: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user: { id: user.id, is_bot: false, first_name: 'x' },
        invoice_payload: invoice.payload,
      },
    });
    hs.offsetMs += 16 * MIN;
    await hs.runJobs();
    expect((await bookingOf(user.id)).status).toBe('expired');
    hs.offsetMs += 2 * MIN;
    await hs.runJobs();
    expect((await bookingOf(user.id)).status).toBe('confirmed');
    expect(await paymentsOf(bookingId)).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        telegram_payment_charge_id: `found-${bookingId}`,
      }),
    ]);
    expect(user.lastMessage().text).toContain('the time was still free');
  });

  it('Stars: cancelling a paid visit in the free window refunds it in full, with the amount stated', async () => {
    const { user, invoice, bookingId } = await heldWithInvoice(hs, stars, {
      daysAhead: 5,
      hour: 12,
    });
    const charge = `cancel-${bookingId}`;
    hs.stub.starTransactions.push({
      id: charge,
      amount: 9,
      date: 0,
      source: {
        type: 'user',
        transaction_type: 'invoice_payment',
        user: { id: user.id, is_bot: false, first_name: 'x' },
        invoice_payload: invoice.payload,
      },
    });
    await user.deliver(user.preCheckoutUpdate(invoice));
    await user.deliver(user.paymentUpdate(invoice, charge));
    expect((await bookingOf(user.id)).status).toBe('confirmed');
    await user.send('/start');
    await user.press('My bookings');
    await user.press(/cut/);
    expect(user.screen().text).toContain('free of charge');
    await user.press('Yes, cancel');
    expect(user.screen().text).toContain('is cancelled');
    expect(user.screen().text).toContain('Refunded: ');
    expect(hs.stub.callsOf('refundStarPayment').at(-1)!.params).toEqual({
      user_id: user.id,
      telegram_payment_charge_id: charge,
    });
    expect(await paymentsOf(bookingId)).toEqual([
      expect.objectContaining({ status: 'refunded', refunded_minor: 9 }),
    ]);
  });
  it('Stars: a lost update for the wrong amount found by the reconcile is not accepted either: refunded, not confirmed', async () => {
    const { user, invoice, bookingId } = await heldWithInvoice(hs, stars);
    const charge = `found-short-${bookingId}`;
    hs.stub.starTransactions.push(starPayment(user, invoice.payload, charge, 1));
    hs.offsetMs += 16 * MIN;
    await hs.runJobs();
    hs.offsetMs += 2 * MIN;
    await hs.runJobs();
    expect(await statusOf(bookingId)).toBe('expired');
    const [row] = await asPlatform(db, (tx) =>
      tx.query(
        'select status, charged_minor::int, refunded_minor::int, telegram_payment_charge_id from payments where booking_id = $1',
        [bookingId],
      ),
    );
    expect(row).toEqual({
      status: 'refunded',
      charged_minor: 1,
      refunded_minor: 1,
      telegram_payment_charge_id: charge,
    });
    expect(hs.stub.callsOf('refundStarPayment').at(-1)!.params).toEqual({
      user_id: user.id,
      telegram_payment_charge_id: charge,
    });
    expect(user.lastMessage().text).toBe(
      'You paid 1 ⭐, but the invoice was for 9 ⭐, so the payment was not accepted and your visit is not confirmed. We refunded 1 ⭐.',
    );
  });

  describe('a payment recorded by a delivery that died before settling it', () => {
    /** What a delivery leaves when it dies right after recording the charge: paid, not confirmed. */
    async function recordedOnly(harness: BotHarness, world: BookingWorld, charge: string) {
      const held = await heldWithInvoice(harness, world);
      const [payment] = await paymentsOf(held.bookingId);
      expect(payment).toMatchObject({ status: 'pending' });
      await asPlatform(db, (tx) =>
        tx.query(
          "update payments set status = 'succeeded', telegram_payment_charge_id = $2 where booking_id = $1",
          [held.bookingId, charge],
        ),
      );
      return held;
    }

    it('the redelivered successful_payment confirms the booking and tells the client', async () => {
      const { user, invoice, bookingId } = await recordedOnly(h, w, 'died-1');
      expect(await user.deliver(user.paymentUpdate(invoice, 'died-1'))).toBe(200);
      expect(await statusOf(bookingId)).toBe('confirmed');
      expect(user.lastMessage().text).toContain('Payment received');
      expect(await paymentsOf(bookingId)).toEqual([
        expect.objectContaining({ status: 'succeeded', telegram_payment_charge_id: 'died-1' }),
      ]);
    });

    it("never redelivered: at the hold's expiry the paid booking is confirmed, not released, and the client told", async () => {
      const { user, bookingId } = await recordedOnly(h, w, 'died-2');
      h.offsetMs += 15 * MIN + 1000;
      await h.runJobs();
      expect(await statusOf(bookingId)).toBe('confirmed');
      expect(user.lastMessage().text).toContain('Payment received');
      expect(user.messages().filter((m) => m.text.includes('has run out'))).toHaveLength(0);
    });
  });

  describe('an invoice is answered and settled only in the chat and the business it was sent to', () => {
    it("another business's invoice sent to this bot: pre-checkout refused, the charge changes nothing there, this business's owners are told to refund it", async () => {
      // The same person is a client of both businesses; they hold a time at the other one.
      const { user: theirs, invoice, bookingId } = await heldWithInvoice(hr, rival);
      const here = h.user(theirs.id);
      await here.send('/start');

      await here.deliver(here.preCheckoutUpdate(invoice));
      expect(h.stub.callsOf('answerPreCheckoutQuery').at(-1)!.params).toMatchObject({
        ok: false,
        error_message: 'This invoice is not valid in this chat, so no payment was taken.',
      });
      expect(h.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          event: 'payment_invoice_foreign',
          stage: 'pre_checkout',
          mismatch: 'tenant',
          tenant_id: w.tenantId,
        }),
      );

      const charge = `foreign-${bookingId}`;
      expect(await here.deliver(here.paymentUpdate(invoice, charge))).toBe(200);
      // The other business's booking, payment and owners are untouched.
      expect(await statusOf(bookingId)).toBe('pending_payment');
      expect(await paymentsOf(bookingId)).toEqual([
        expect.objectContaining({
          status: 'pending',
          telegram_payment_charge_id: null,
          provider_payment_charge_id: null,
        }),
      ]);
      expect(await noticesOf(rival.tenantId)).toEqual([]);
      // Here: an error with the charge ids, a refund for the owners, and the client told.
      expect(h.logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          event: 'payment_charge_unmatched',
          mismatch: 'tenant',
          tenant_id: w.tenantId,
          telegram_charge_id: charge,
          provider_charge_id: `prov-${charge}`,
          amount_minor: 900,
          currency: 'EUR',
        }),
      );
      expect((await noticesOf(w.tenantId)).filter((n) => n.kind === 'payment_unmatched')).toEqual([
        {
          kind: 'payment_unmatched',
          booking_id: null,
          detail: expect.objectContaining({
            telegramChargeId: charge,
            providerChargeId: `prov-${charge}`,
            amountMinor: 900,
            currency: 'EUR',
          }),
        },
      ]);
      const told = here.lastMessage().text;
      expect(told).toBe(
        'This payment does not belong to a booking in this chat, so it was not applied. The business will refund €9.00 to you; they have been told.',
      );
      expect(
        theirs
          .messages()
          .map((m) => m.text)
          .join('\n'),
      ).not.toContain('Payment received');
    });

    it("another client's invoice of the same business: refused at pre-checkout, not applied when paid", async () => {
      const { invoice, bookingId } = await heldWithInvoice(h, w);
      const stranger = h.user(nextUser++);
      await stranger.send('/start');
      await stranger.deliver(stranger.preCheckoutUpdate(invoice));
      expect(h.stub.callsOf('answerPreCheckoutQuery').at(-1)!.params).toMatchObject({
        ok: false,
        error_message: 'This invoice is not valid in this chat, so no payment was taken.',
      });
      expect(h.logs).toContainEqual(
        expect.objectContaining({
          event: 'payment_invoice_foreign',
          stage: 'pre_checkout',
          mismatch: 'client',
          tenant_id: w.tenantId,
        }),
      );

      const charge = `stranger-${bookingId}`;
      await stranger.deliver(stranger.paymentUpdate(invoice, charge));
      expect(await statusOf(bookingId)).toBe('pending_payment');
      expect(await paymentsOf(bookingId)).toEqual([
        expect.objectContaining({ status: 'pending', telegram_payment_charge_id: null }),
      ]);
      expect(h.logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          event: 'payment_charge_unmatched',
          mismatch: 'client',
          telegram_charge_id: charge,
        }),
      );
      expect(
        (await noticesOf(w.tenantId))
          .filter((n) => n.detail.telegramChargeId === charge)
          .map((n) => n.kind),
      ).toEqual(['payment_unmatched']);
      expect(stranger.lastMessage().text).toContain('does not belong to a booking in this chat');
    });

    it('Stars: a charge for no invoice of this business is refunded through its bot at once', async () => {
      const user = hs.user(nextUser++);
      await user.send('/start');
      const charge = `unknown-star-${user.id}`;
      const ghost: StubInvoice = {
        token: hs.token,
        chatId: user.id,
        title: 't',
        description: 'd',
        payload: `no-such-invoice-${user.id}`,
        currency: 'XTR',
        prices: [{ label: 'x', amount: 9 }],
      };
      hs.stub.starTransactions.push(starPayment(user, ghost.payload, charge));
      await user.deliver(user.paymentUpdate(ghost, charge));
      expect(hs.stub.callsOf('refundStarPayment').at(-1)!.params).toEqual({
        user_id: user.id,
        telegram_payment_charge_id: charge,
      });
      expect(hs.logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          event: 'payment_charge_unmatched',
          mismatch: 'unknown',
          telegram_charge_id: charge,
        }),
      );
      expect(user.lastMessage().text).toBe(
        'This payment does not belong to a booking in this chat, so it was not applied. We refunded 9 ⭐.',
      );
      expect(
        (await noticesOf(stars.tenantId)).filter((n) => n.detail.telegramChargeId === charge),
      ).toEqual([]);
    });
  });

  describe('a charge that differs from the invoice is never accepted', () => {
    it('card: 1 cent for a €9.00 deposit: not confirmed, recorded as a mismatch, owners told to refund, the client told; a repeat changes nothing', async () => {
      const { user, invoice, bookingId } = await heldWithInvoice(h, w);
      const charge = `cent-${bookingId}`;
      const update = user.paymentUpdate(invoice, charge, { totalAmount: 1 });
      expect(await user.deliver(update)).toBe(200);
      expect(await statusOf(bookingId)).toBe('pending_payment');
      const [row] = await asPlatform(db, (tx) =>
        tx.query(
          'select status, amount_minor::int, charged_minor::int, charged_currency, refunded_minor::int, telegram_payment_charge_id from payments where booking_id = $1',
          [bookingId],
        ),
      );
      expect(row).toEqual({
        status: 'mismatched',
        amount_minor: 900,
        charged_minor: 1,
        charged_currency: 'EUR',
        refunded_minor: 0,
        telegram_payment_charge_id: charge,
      });
      expect(h.logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          event: 'payment_amount_mismatch',
          booking_id: bookingId,
          amount_minor: 1,
          expected_minor: 900,
          telegram_charge_id: charge,
        }),
      );
      expect((await noticesOf(w.tenantId)).filter((n) => n.booking_id === bookingId)).toEqual([
        {
          kind: 'payment_mismatch',
          booking_id: bookingId,
          detail: expect.objectContaining({
            amountMinor: 1,
            currency: 'EUR',
            expectedMinor: 900,
            expectedCurrency: 'EUR',
            refunded: false,
          }),
        },
      ]);
      expect(user.lastMessage().text).toBe(
        'You paid €0.01, but the invoice was for €9.00, so the payment was not accepted and your visit is not confirmed. The business will refund €0.01 to you; they have been told.',
      );

      // The same charge again (as after a delivery that died mid-way): the client hears the same,
      // nothing else happens again.
      const told = user.lastMessage().text;
      await user.deliver(user.paymentUpdate(invoice, charge, { totalAmount: 1 }));
      expect(user.lastMessage().text).toBe(told);
      expect((await noticesOf(w.tenantId)).filter((n) => n.booking_id === bookingId)).toHaveLength(
        1,
      );
      expect(await paymentsOf(bookingId)).toEqual([
        expect.objectContaining({ status: 'mismatched', refunded_minor: 0 }),
      ]);

      // The hold then runs out as an unpaid one would; the mismatch stays on record.
      h.offsetMs += 16 * MIN;
      await h.runJobs();
      h.offsetMs += 2 * MIN;
      await h.runJobs();
      expect(await statusOf(bookingId)).toBe('expired');
      expect(await paymentsOf(bookingId)).toEqual([
        expect.objectContaining({ status: 'mismatched' }),
      ]);
    });

    it('card: the right number in another currency is a mismatch too', async () => {
      const { user, invoice, bookingId } = await heldWithInvoice(h, w);
      await user.deliver(user.paymentUpdate(invoice, `usd-${bookingId}`, { currency: 'USD' }));
      expect(await statusOf(bookingId)).toBe('pending_payment');
      const [row] = await asPlatform(db, (tx) =>
        tx.query(
          'select status, charged_minor::int, charged_currency from payments where booking_id = $1',
          [bookingId],
        ),
      );
      expect(row).toEqual({ status: 'mismatched', charged_minor: 900, charged_currency: 'USD' });
      expect(user.lastMessage().text).toContain('You paid $9.00, but the invoice was for €9.00');
    });

    it('Stars: 1 star for a 9-star deposit is refunded through Telegram and the owners hear of it', async () => {
      const { user, invoice, bookingId } = await heldWithInvoice(hs, stars);
      const charge = `one-star-${bookingId}`;
      hs.stub.starTransactions.push(starPayment(user, invoice.payload, charge, 1));
      await user.deliver(user.paymentUpdate(invoice, charge, { totalAmount: 1 }));
      expect(await statusOf(bookingId)).toBe('pending_payment');
      expect(hs.stub.callsOf('refundStarPayment').at(-1)!.params).toEqual({
        user_id: user.id,
        telegram_payment_charge_id: charge,
      });
      const [row] = await asPlatform(db, (tx) =>
        tx.query(
          'select status, charged_minor::int, refunded_minor::int from payments where booking_id = $1',
          [bookingId],
        ),
      );
      expect(row).toEqual({ status: 'refunded', charged_minor: 1, refunded_minor: 1 });
      expect((await noticesOf(stars.tenantId)).filter((n) => n.booking_id === bookingId)).toEqual([
        {
          kind: 'payment_mismatch',
          booking_id: bookingId,
          detail: expect.objectContaining({
            amountMinor: 1,
            currency: 'XTR',
            expectedMinor: 9,
            refunded: true,
          }),
        },
      ]);
      expect(user.lastMessage().text).toBe(
        'You paid 1 ⭐, but the invoice was for 9 ⭐, so the payment was not accepted and your visit is not confirmed. We refunded 1 ⭐.',
      );
    });
  });
});
