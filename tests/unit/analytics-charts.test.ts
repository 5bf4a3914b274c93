import { describe, expect, it } from 'vitest';
import { BarRows, ColumnChart, niceCeiling, ticks } from '../../admin-ui/charts.tsx';
import {
  leadTimeCsv,
  loadCsv,
  perDayCsv,
  pipelineCsv,
  summaryCsv,
} from '../../tenants/analytics/analytics-csv.ts';
import { leadHistogram } from '../../tenants/analytics/metrics.ts';
import { ANALYTICS_MESSAGES } from '../../admin-ui/i18n/analytics-messages.ts';

describe('chart scales', () => {
  it('a nice ceiling is 1, 2 or 5 times a power of ten; ticks split it evenly', () => {
    expect([0, 0.4, 1, 3, 7, 12, 20, 21, 95, 101, 4_999].map(niceCeiling)).toEqual([
      1, 1, 1, 5, 10, 20, 20, 50, 100, 200, 5_000,
    ]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(20)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(2)).toEqual([0, 1, 2]);
  });
});

describe('charts as SVG', () => {
  const bars = [
    { label: 'Mar 28', value: 1, valueText: '1' },
    { label: 'Mar 29', value: 3, valueText: '3' },
    { label: 'Mar 30', value: 0, valueText: '0' },
  ];

  it('an image named by its title and described by its desc, scaled by its viewBox, styled only by classes', () => {
    const svg = String(
      ColumnChart({ id: 'c', title: 'Bookings <per> day', desc: '4 bookings', bars }),
    );
    expect(svg).toMatch(
      /^<svg class="chart-svg" viewBox="0 0 400 230" width="100%" role="img" aria-labelledby="c-title c-desc"/,
    );
    expect(svg).toContain(
      '<title id="c-title">Bookings &lt;per&gt; day</title><desc id="c-desc">4 bookings</desc>',
    );
    expect(svg).not.toMatch(/style=|fill=|stroke=/);
    // Two bars drawn (nothing for 0), the taller three times the shorter; every value and label written.
    const heights = [
      ...svg.matchAll(/<rect class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[1]! / heights[0]!).toBeCloseTo(3, 1);
    for (const text of ['Mar 28', 'Mar 29', 'Mar 30', '>3<', '>0<']) expect(svg).toContain(text);
  });

  it('many bars: labels thinned out to what fits, no values over the bars', () => {
    const month = Array.from({ length: 90 }, (_, i) => ({
      label: `d${i}`,
      value: i % 7,
      valueText: String(i % 7),
    }));
    const svg = String(ColumnChart({ id: 'm', title: 't', desc: 'd', bars: month }));
    const labels = [...svg.matchAll(/<text class="label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.length).toBeLessThanOrEqual(7);
    expect(svg).not.toContain('class="value"');
  });

  it('rows of bars: the scale holds at least the mark, and a bar past it still fits', () => {
    const svg = String(
      BarRows({
        id: 'l',
        title: 'Load',
        desc: 'd',
        bars: [
          { label: 'Anna', value: 0.5, valueText: '50%' },
          { label: 'Ben', value: 1.25, valueText: '125%' },
        ],
        scaleMax: 1,
        mark: { value: 1, label: '100 %' },
      }),
    );
    const widths = [...svg.matchAll(/<rect class="bar" x="0" y="[\d.]+" width="([\d.]+)"/g)].map(
      (m) => Number(m[1]),
    );
    expect(widths[1]).toBeCloseTo(304, 0);
    expect(widths[1]! / widths[0]!).toBeCloseTo(2.5, 2);
    expect(svg).toContain('>100 %<');
  });
});

describe('each chart’s numbers as CSV', () => {
  const t = ANALYTICS_MESSAGES.en;
  it('decimals with their currency, ISO dates, percentages with one decimal, empty cells for no data', () => {
    expect(perDayCsv([{ date: '2026-03-29', bookings: 3 }], t.perDay)).toBe(
      'Day,Bookings\r\n2026-03-29,3\r\n',
    );
    expect(
      pipelineCsv(
        [{ currency: 'JPY', bookings: 2, paidBookings: 1, paidMinor: 500, unpaidMinor: 2500 }],
        t.pipeline,
      ),
    ).toBe(
      'Currency,Confirmed bookings,With a payment,Without,Paid,Still to pay,Total\r\nJPY,2,1,1,500,2500,3000\r\n',
    );
    expect(
      loadCsv(
        [
          {
            masterId: 'm',
            name: '=Anna',
            locationName: 'Studio, Berlin',
            bookedMinutes: 150,
            workingMinutes: 0,
            load: null,
          },
        ],
        t.load,
      ),
    ).toBe(
      'Location,Master,Booked (minutes),Working (minutes),Load (%)\r\n"Studio, Berlin",\'=Anna,150,0,\r\n',
    );
    expect(
      leadTimeCsv(
        { buckets: leadHistogram([{ bucket: 1, bookings: 4 }]), medianHours: 3 },
        t.leadTime,
      )
        .split('\r\n')
        .slice(0, 3),
    ).toEqual([
      'Booked ahead,From (hours),Under (hours),Bookings',
      'under 2 h,,2,0',
      '2–24 h,2,24,4',
    ]);
    const summary = summaryCsv(
      {
        revenue: [
          { currency: 'EUR', realizedMinor: 10_200, clients: 3, ltvMinor: 3_400 },
          { currency: 'USD', realizedMinor: 9_000, clients: 2, ltvMinor: 4_500 },
        ],
        retention: { part: 0, whole: 0, share: null },
        noShows: { part: 2, whole: 8, share: 0.25, noShows: 1, lateCancellations: 1 },
      },
      t.summary,
    );
    expect(summary.split('\r\n')).toEqual([
      'Figure,Currency,Value,Count,Out of',
      'Realized revenue,EUR,102.00,,',
      'Paying clients,EUR,,3,',
      'Lifetime value (LTV),EUR,34.00,,',
      'Realized revenue,USD,90.00,,',
      'Paying clients,USD,,2,',
      'Lifetime value (LTV),USD,45.00,,',
      'Retention,,,0,0',
      'No-show rate,,25,2,8',
      'No-shows,,,1,8',
      'Late cancellations,,,1,8',
      '',
    ]);
  });
});
