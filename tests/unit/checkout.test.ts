import { describe, expect, it } from 'vitest';
import type { BookingService } from '../../tenants/booking/booking-service.ts';
import type { BookResult, BookingView } from '../../tenants/booking/results.ts';
import { money } from '../../tenants/money/money.ts';
import { checkout } from '../../tenants/payments/checkout.ts';
import type { PaymentService } from '../../tenants/payments/payment-service.ts';

/** A booking service that keeps one booking's status and moves it as asked. */
function bookingStandIn(view: BookingView) {
  const state = { status: view.status as string, reason: undefined as string | undefined };
  const service = {
    confirm: async () => {
      state.status = 'confirmed';
      return { kind: 'changed', booking: { ...view, status: 'confirmed' } };
    },
    confirmPayAtVenue: async () => {
      state.status = 'confirmed';
      state.reason = 'payment at the venue';
      return { kind: 'changed', booking: { ...view, status: 'confirmed' } };
    },
  } as unknown as BookingService;
  return { service, state };
}

const view: BookingView = {
  id: 'b1',
  status: 'held',
  locationId: 'l',
  masterId: 'm',
  clientId: 'c',
  start: 0,
  end: 30 * 60_000,
  holdExpiresAt: 15 * 60_000,
  total: money(3000, 'EUR'),
  rescheduledFromId: null,
};
const booked = (payment: Extract<BookResult, { kind: 'booked' }>['payment']) =>
  ({ kind: 'booked', booking: view, replayed: false, payment }) as const;
const request = {
  tenantId: 't',
  chatId: 1,
  actor: { kind: 'client' as const, id: 'tg:1' },
  text: () => ({ title: 'Deposit', label: 'Deposit', description: 'Cut' }),
};

describe('checkout: what a fresh hold needs next (tenants/payments/checkout.ts)', () => {
  it('confirms a hold that needs no payment', async () => {
    const { service, state } = bookingStandIn(view);
    expect(
      await checkout({ booking: service }, { ...request, booked: booked({ required: false }) }),
    ).toEqual({ kind: 'confirmed' });
    expect(state.status).toBe('confirmed');
  });

  it('without a payment service, confirms with the whole price due at the venue', async () => {
    const { service, state } = bookingStandIn(view);
    const result = await checkout(
      { booking: service },
      {
        ...request,
        booked: booked({ required: true, amount: money(900, 'EUR'), reason: 'deposit_always' }),
      },
    );
    expect(result).toEqual({ kind: 'at_venue', due: money(3000, 'EUR') });
    expect(state).toEqual({ status: 'confirmed', reason: 'payment at the venue' });
  });

  it('asks the payment service for the payment and reports the invoice, leaving the hold to it', async () => {
    const { service, state } = bookingStandIn(view);
    const plan = {
      kind: 'online' as const,
      provider: 'stars' as const,
      purpose: 'deposit' as const,
      amount: money(900, 'EUR'),
      dueAtVenue: money(2100, 'EUR'),
    };
    const payments = {
      start: async () => ({ kind: 'invoice_sent', paymentId: 'p1', plan }),
    } as unknown as PaymentService;
    const result = await checkout(
      { booking: service, payments },
      {
        ...request,
        booked: booked({ required: true, amount: money(900, 'EUR'), reason: 'deposit_always' }),
      },
    );
    expect(result).toEqual({ kind: 'invoice_sent', plan });
    expect(state.status).toBe('held');
    const refused = { start: async () => ({ kind: 'no_bot' }) } as unknown as PaymentService;
    expect(
      await checkout(
        { booking: service, payments: refused },
        {
          ...request,
          booked: booked({ required: true, amount: money(900, 'EUR'), reason: 'deposit_always' }),
        },
      ),
    ).toEqual({ kind: 'failed' });
  });
});
