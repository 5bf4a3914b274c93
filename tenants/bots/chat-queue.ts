/**
 * The updates of one chat, one at a time (different chats in parallel). An update that would only
 * repeat what an update already waiting in the same chat's line will do (another plain message
 * while one waits: both would just show the chat where it stands) is not queued at all: a chat
 * that floods the bot gets its screen once, and none of its webhook requests waits its turn
 * behind the outgoing per-chat limit.
 */
export class ChatQueue {
  private readonly lines = new Map<string, { tail: Promise<unknown>; waiting: Map<string, number> }>();

  /**
   * Runs `task` after the chat's earlier tasks; `{ ran: false }` when `coalesceAs` is given and a
   * task of that kind is already waiting (not yet started) in this chat's line.
   */
  async run<T>(chat: string, task: () => Promise<T>, coalesceAs?: string): Promise<{ ran: true; value: T } | { ran: false }> {
    let line = this.lines.get(chat);
    if (!line) {
      line = { tail: Promise.resolve(), waiting: new Map() };
      this.lines.set(chat, line);
    }
    const { waiting } = line;
    if (coalesceAs !== undefined && (waiting.get(coalesceAs) ?? 0) > 0) return { ran: false };
    const count = (delta: number) => {
      if (coalesceAs === undefined) return;
      const n = (waiting.get(coalesceAs) ?? 0) + delta;
      if (n > 0) waiting.set(coalesceAs, n);
      else waiting.delete(coalesceAs);
    };
    count(+1);
    const current = line.tail.catch(() => {}).then(() => {
      count(-1);
      return task();
    });
    const tail = current.catch(() => {});
    line.tail = tail;
    try {
      return { ran: true, value: await current };
    } finally {
      if (this.lines.get(chat)?.tail === tail) this.lines.delete(chat);
    }
  }
}
