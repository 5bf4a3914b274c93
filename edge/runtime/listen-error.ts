/**
 * Why the server could not open its port, as one line naming PORT and what to do (`command` is how
 * this entry is started, for the example). Node and Deno both give the system's code (EADDRINUSE...).
 */
export function describeListenError(error: unknown, port: number, command: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const another = port < 65535 ? port + 1 : port - 1;
  const head = `Slotbot cannot listen on port ${port}`;
  if (code === 'EADDRINUSE') {
    return `${head}: it is in use by another program. Stop that program or set PORT to a free port (e.g. PORT=${another} ${command}).`;
  }
  if (code === 'EACCES' && port < 1024) {
    return `${head}: this user may not open it (ports below 1024 need administrator rights). Set PORT to a port from 1024 up (e.g. PORT=8787 ${command}).`;
  }
  const reason =
    code === 'EACCES'
      ? 'this user may not open it'
      : (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  return `${head}: ${reason}. Set PORT to another port (e.g. PORT=${another} ${command}).`;
}
