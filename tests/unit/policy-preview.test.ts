import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCATION_POLICY,
  type LocationPolicy,
} from '../../tenants/policy/location-policy.ts';
import { cancellationLine, describePolicy } from '../../tenants/policy/policy-preview.ts';

/** A location's policy as clients read it: the summary's cancellation line and the editor's preview. */
const policy = (change: (p: LocationPolicy) => void): LocationPolicy => {
  const p = structuredClone(DEFAULT_LOCATION_POLICY);
  change(p);
  return p;
};
const texts = (
  lang: string,
  p: LocationPolicy,
  currency = 'EUR',
  payAhead: 'telegram' | 'telegram_stars' | 'venue' = 'telegram',
) => describePolicy(lang, p, currency, payAhead).map((l) => l.text);

describe('the cancellation line (the bot’s booking summary)', () => {
  it('a percent fee, in English and Russian, as the bot has always said it', () => {
    const p = policy(
      (x) =>
        (x.cancellation = {
          freeUntilHours: 24,
          lockHours: 2,
          fee: { kind: 'percent', percent: 50 },
        }),
    );
    expect(cancellationLine('en', p, 'EUR')).toBe(
      'Free cancellation until 24 h before; later a fee of 50 % applies.',
    );
    expect(cancellationLine('ru', p, 'EUR')).toBe(
      'Бесплатная отмена не позднее чем за 24 ч; позже взимается 50 %.',
    );
  });

  it('a fixed fee in the location’s currency', () => {
    const p = policy(
      (x) =>
        (x.cancellation = {
          freeUntilHours: 48,
          lockHours: 0,
          fee: { kind: 'fixed', amountMinor: 1050 },
        }),
    );
    expect(cancellationLine('en', p, 'EUR')).toBe(
      'Free cancellation until 48 h before; later a fee of €10.50 applies.',
    );
    expect(cancellationLine('en', p, 'JPY')).toBe(
      'Free cancellation until 48 h before; later a fee of ¥1,050 applies.',
    );
    expect(cancellationLine('ru', p, 'RUB')).toMatch(
      /^Бесплатная отмена не позднее чем за 48 ч; позже взимается 10,50\s₽\.$/,
    );
  });

  it('no fee: free right up to the lock (not only until the fee would start), or at any time without one', () => {
    expect(
      cancellationLine(
        'en',
        policy((x) => (x.cancellation = { freeUntilHours: 24, lockHours: 3, fee: null })),
        'EUR',
      ),
    ).toBe('Free cancellation until 3 h before the visit.');
    expect(
      cancellationLine(
        'en',
        policy((x) => (x.cancellation = { freeUntilHours: 24, lockHours: 0, fee: null })),
        'EUR',
      ),
    ).toBe('Free cancellation at any time before the visit.');
    expect(
      cancellationLine(
        'ru',
        policy((x) => (x.cancellation = { freeUntilHours: 0, lockHours: 0, fee: null })),
        'EUR',
      ),
    ).toBe('Бесплатная отмена в любое время до визита.');
    // A fee of nothing, or one whose window has no length, is no fee.
    expect(
      cancellationLine(
        'en',
        policy(
          (x) =>
            (x.cancellation = {
              freeUntilHours: 24,
              lockHours: 2,
              fee: { kind: 'fixed', amountMinor: 0 },
            }),
        ),
        'EUR',
      ),
    ).toBe('Free cancellation until 2 h before the visit.');
    expect(
      cancellationLine(
        'en',
        policy(
          (x) =>
            (x.cancellation = {
              freeUntilHours: 6,
              lockHours: 6,
              fee: { kind: 'percent', percent: 20 },
            }),
        ),
        'EUR',
      ),
    ).toBe('Free cancellation until 6 h before the visit.');
  });
});

describe('describePolicy: every rule a client meets', () => {
  it('the default policy with card payments, in English', () => {
    expect(texts('en', DEFAULT_LOCATION_POLICY)).toEqual([
      'Free cancellation until 24 h before; later a fee of 50 % applies.',
      'Less than 2 h before the visit, cancel by contacting the business.',
      'Moving a visit to another time is free until 2 h before it.',
      'Less than 2 h before the visit, move it by contacting the business.',
      'Bookings open 60 days ahead and close 1 hr before the start.',
      'Start times are offered every 15 min.',
      'Clients who missed 2 or more visits pay the full price online when booking.',
      'Everyone else pays at the venue.',
      'An unpaid booking keeps its time for 15 min; then the time is released.',
      'Reminders: 24 hr and 3 hr before the visit.',
      'A booking made after a reminder’s time gets that reminder at once.',
    ]);
  });

  it('in Russian, with Russian plurals', () => {
    const lines = texts(
      'ru',
      policy((x) => ((x.horizonDays = 21), (x.deposit.noShowThreshold = 5))),
    );
    expect(lines).toContain('Запись открыта на 21 день вперёд и закрывается за 1 ч до начала.');
    expect(lines).toContain(
      'Клиенты, пропустившие 5 визитов и более, оплачивают полную стоимость онлайн при записи.',
    );
    expect(lines).toContain('Напоминания: за 24 ч и 3 ч до визита.');
    expect(
      texts(
        'ru',
        policy((x) => (x.horizonDays = 3)),
      ),
    ).toContain('Запись открыта на 3 дня вперёд и закрывается за 1 ч до начала.');
  });

  it('lockHours: no lock line when changes are possible right up to the start', () => {
    const open = policy((x) => {
      x.cancellation = { freeUntilHours: 24, lockHours: 0, fee: { kind: 'percent', percent: 30 } };
      x.reschedule = { freeUntilHours: 0, lockHours: 0, fee: null };
    });
    const lines = texts('en', open);
    expect(lines.some((l) => l.includes('by contacting the business'))).toBe(false);
    expect(lines).toContain('Moving a visit to another time is free of charge.');
    const locked = texts(
      'en',
      policy(
        (x) =>
          (x.reschedule = {
            freeUntilHours: 48,
            lockHours: 12,
            fee: { kind: 'fixed', amountMinor: 500 },
          }),
      ),
      'USD',
    );
    expect(locked).toContain('Moving a visit is free until 48 h before it; later it costs $5.00.');
    expect(locked).toContain(
      'Less than 12 h before the visit, move it by contacting the business.',
    );
  });

  it('a deposit from everyone; paid at the venue when nothing can be taken online, whatever the rule says', () => {
    const always = policy((x) => (x.deposit = { mode: 'always', percent: 30, noShowThreshold: 1 }));
    const online = texts('en', always);
    expect(online).toContain(
      'A deposit of 30 % is paid online when booking; the rest at the venue.',
    );
    expect(online).toContain('Clients who missed a visit pay the full price online when booking.');
    expect(online).not.toContain('Everyone else pays at the venue.');
    const venue = texts('en', always, 'EUR', 'venue');
    expect(venue).toContain('Nothing is paid ahead: the price is paid at the venue.');
    expect(venue.some((l) => l.includes('deposit') || l.includes('unpaid'))).toBe(false);
    expect(
      texts(
        'en',
        policy((x) => (x.deposit.mode = 'none')),
      ),
    ).toContain('Nothing is paid ahead: the price is paid at the venue.');
  });

  it('no notice, a same-day cutoff, no reminders', () => {
    const lines = texts(
      'en',
      policy((x) => {
        x.leadTimeMinutes = 0;
        x.horizonDays = 1;
        x.sameDayCutoff = '17:30';
        x.reminders = { leadMinutes: [], whenLate: 'skip' };
      }),
    );
    expect(lines).toContain('Bookings open 1 day ahead, up to the start time.');
    expect(lines).toContain('Same-day bookings close at 5:30 PM.');
    expect(lines).toContain('No reminders are sent.');
    expect(
      texts(
        'ru',
        policy((x) => (x.sameDayCutoff = '17:30')),
      ),
    ).toContain('Запись на сегодня закрывается в 17:30.');
  });

  it('a late booking skips a reminder whose time has passed, when the rule says so', () => {
    expect(
      texts(
        'en',
        policy((x) => (x.reminders = { leadMinutes: [30], whenLate: 'skip' })),
      ),
    ).toEqual(
      expect.arrayContaining([
        'Reminders: 30 min before the visit.',
        'A booking made after a reminder’s time does not get that reminder.',
      ]),
    );
  });
});
