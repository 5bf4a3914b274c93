import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * An embedded (PGlite) data directory belongs to one process at a time: a second process would
 * open its own copy of the database in memory and write over the first one's files. Whoever opens
 * the directory holds `<dir>.lock`; everyone else is refused with `DataDirInUseError`.
 *
 * The lock file names its holder (pid, what it is, since when). It is created complete and
 * atomically (written aside, then hard-linked into place: `link` fails when the name exists).
 * A holder that died without releasing it (SIGKILL, power loss) leaves a stale file: its pid is
 * no longer alive, so the next opener takes the lock over. As in PostgreSQL's postmaster.pid, a
 * recorded pid equal to our own or our parent's counts as dead: after a container restart pids are
 * handed out again from the start, and neither of those can be holding the directory.
 */
export interface LockHolder {
  pid: number;
  /** What holds it, e.g. `npm start`. */
  command: string;
  started_at: string;
  /** Random, so that a take-over removes exactly the stale file it judged. */
  nonce: string;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database at ${dir} is in use by another process (${holder.command}, pid ${holder.pid}, since ${holder.started_at}); ` +
        'PGlite serves one process at a time: stop that process first and run this again, or set DATABASE_URL so that both use one PostgreSQL server',
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

const ATTEMPTS = 10;
/** Lock files this process holds: its own pid in a lock file is otherwise taken for a dead one. */
const heldHere = new Map<string, LockHolder>();

export function lockFileFor(dir: string): string {
  return `${dir.replace(/[/\\]+$/, '')}.lock`;
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || pid === process.ppid)
    return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

function readHolder(file: string): { text: string; holder?: LockHolder } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.nonce === 'string') {
      return {
        text,
        holder: {
          pid: parsed.pid,
          command: String(parsed.command ?? 'unknown'),
          started_at: String(parsed.started_at ?? 'unknown'),
          nonce: parsed.nonce,
        },
      };
    }
  } catch {
    // Not ours or damaged: nobody can be holding it through this file.
  }
  return { text };
}

const errorCode = (error: unknown) => (error as { code?: string }).code;

/** Takes the lock on `dir` for this process, or throws `DataDirInUseError` naming the holder. */
export function acquireDataDirLock(dir: string, command: string): DataDirLock {
  const file = lockFileFor(dir);
  const mine = heldHere.get(file);
  if (mine) throw new DataDirInUseError(dir, mine);
  const me: LockHolder = {
    pid: process.pid,
    command,
    started_at: new Date().toISOString(),
    nonce: crypto.randomUUID(),
  };
  const text = `${JSON.stringify(me)}\n`;
  const draft = `${file}.${process.pid}.${me.nonce}`;
  writeFileSync(draft, text, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        linkSync(draft, file);
        heldHere.set(file, me);
        return ownLock(file, text);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      const current = readHolder(file);
      if (!current) continue;
      if (current.holder && isAlive(current.holder.pid))
        throw new DataDirInUseError(dir, current.holder);
      removeStale(file, current.text, me.nonce);
    }
    throw new Error(`could not take the lock ${file}: other processes keep taking it; try again`);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves the stale file aside and checks that it is the one judged stale: between reading it and
 * moving it another process may have taken the lock over, and that fresh lock is put back.
 */
function removeStale(file: string, judged: string, nonce: string): void {
  const aside = `${file}.stale.${process.pid}.${nonce}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) {
      try {
        linkSync(aside, file);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
    }
  } finally {
    unlinkSync(aside);
  }
}

function ownLock(file: string, text: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    heldHere.delete(file);
    process.off('exit', release);
    try {
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  };
  // A process that exits without closing its database still gives the directory back.
  process.on('exit', release);
  return { file, release };
}
