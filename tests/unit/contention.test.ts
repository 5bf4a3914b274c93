import { describe, expect, it } from 'vitest';
import { retryOnContention } from '../../tenants/booking/contention.ts';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('retryOnContention', () => {
  it('runs a write again after a deadlock or serialization failure, and returns its result', async () => {
    const failures = [pgError('40P01'), pgError('40001')];
    let runs = 0;
    const result = await retryOnContention(async () => {
      runs++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'booked';
    });
    expect(result).toBe('booked');
    expect(runs).toBe(3);
  });

  it('gives up after the last attempt with the database’s error', async () => {
    await expect(
      retryOnContention(async () => Promise.reject(pgError('40P01')), 2),
    ).rejects.toMatchObject({ code: '40P01' });
  });

  it('never repeats a write that failed for another reason', async () => {
    let runs = 0;
    await expect(
      retryOnContention(async () => {
        runs++;
        throw pgError('23P01');
      }),
    ).rejects.toMatchObject({ code: '23P01' });
    expect(runs).toBe(1);
  });
});
