/**
 * The updates of one chat, one at a time (different chats in parallel). An update that would only
 * repeat what the update just before it in the chat's line will do, while that one still waits
 * (another plain message: both would just show the chat where it stands), is not queued at all:
 * a chat that floods the bot gets its screen once, and none of its webhook requests waits its turn
 * behind the outgoing per-chat limit. Only the last waiting task absorbs, so the order of what the
 * chat sent is kept (a message, a button press, a message: all three run).
 */
export class ChatQueue {
  private readonly lines = new Map<
    string,
    { tail: Promise<unknown>; last: { kind?: string; started: boolean } }
  >();

  /**
   * Runs `task` after the chat's earlier tasks; `{ ran: false }` when `coalesceAs` is given and the
   * last task in this chat's line is of that kind and has not started yet.
   */
  async run<T>(
    chat: string,
    task: () => Promise<T>,
    coalesceAs?: string,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    const line = this.lines.get(chat);
    if (coalesceAs !== undefined && line && !line.last.started && line.last.kind === coalesceAs)
      return { ran: false };
    const entry = { ...(coalesceAs !== undefined ? { kind: coalesceAs } : {}), started: false };
    const previous = line?.tail ?? Promise.resolve();
    const current = previous
      .catch(() => {})
      .then(() => {
        entry.started = true;
        return task();
      });
    const tail = current.catch(() => {});
    this.lines.set(chat, { tail, last: entry });
    try {
      return { ran: true, value: await current };
    } finally {
      if (this.lines.get(chat)?.tail === tail) this.lines.delete(chat);
    }
  }
}
