import { describe, expect, it } from 'vitest';
import { ChatQueue } from '../../tenants/bots/chat-queue.ts';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

describe('ChatQueue', () => {
  it('runs one chat one task at a time, in arrival order, and other chats alongside', async () => {
    const q = new ChatQueue();
    const order: string[] = [];
    const first = gate();
    const a1 = q.run('a', async () => {
      await first.opened;
      order.push('a1');
    });
    const a2 = q.run('a', async () => void order.push('a2'));
    await q.run('b', async () => void order.push('b1'));
    expect(order).toEqual(['b1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('a task of a kind already waiting in the line is not queued; a running one does not count', async () => {
    const q = new ChatQueue();
    const ran: number[] = [];
    const first = gate();
    const started = gate();
    const running = q.run(
      'a',
      async () => {
        started.open();
        await first.opened;
        ran.push(0);
      },
      'message',
    );
    // The first is running (not waiting): the next message waits; later ones coalesce into it.
    await started.opened;
    const waiting = q.run('a', async () => void ran.push(1), 'message');
    const flood = await Promise.all(
      Array.from({ length: 38 }, (_, i) => q.run('a', async () => void ran.push(i + 2), 'message')),
    );
    expect(flood.every((r) => !r.ran)).toBe(true);
    // Another kind (a button press) is still queued in order.
    const press = q.run('a', async () => void ran.push(100), 'callback');
    first.open();
    expect((await running).ran).toBe(true);
    expect((await waiting).ran).toBe(true);
    expect((await press).ran).toBe(true);
    expect(ran).toEqual([0, 1, 100]);
    // Once the line is empty, a message runs again.
    expect(await q.run('a', async () => 7, 'message')).toEqual({ ran: true, value: 7 });
  });

  it('only the last waiting task absorbs: a message, a press, a message all run, in order', async () => {
    const q = new ChatQueue();
    const ran: string[] = [];
    const first = gate();
    const started = gate();
    const running = q.run(
      'a',
      async () => {
        started.open();
        await first.opened;
        ran.push('m1');
      },
      'message',
    );
    await started.opened;
    const m2 = q.run('a', async () => void ran.push('m2'), 'message');
    const press = q.run('a', async () => void ran.push('press'), undefined);
    const m3 = q.run('a', async () => void ran.push('m3'), 'message');
    const m4 = q.run('a', async () => void ran.push('m4'), 'message');
    first.open();
    const results = await Promise.all([running, m2, press, m3, m4]);
    expect(results.map((r) => r.ran)).toEqual([true, true, true, true, false]);
    expect(ran).toEqual(['m1', 'm2', 'press', 'm3']);
  });

  it('a failing task does not stop the ones behind it', async () => {
    const q = new ChatQueue();
    const failed = q.run('a', async () => {
      throw new Error('boom');
    });
    const next = q.run('a', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toEqual({ ran: true, value: 'ok' });
  });
});
