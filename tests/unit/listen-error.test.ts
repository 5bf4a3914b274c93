import { describe, expect, it } from 'vitest';
import { describeListenError } from '../../edge/runtime/listen-error.ts';

const errno = (code: string, message: string) =>
  Object.assign(new Error(message), { code, syscall: 'listen' });

describe('a port the server cannot listen on: one line naming PORT and what to do', () => {
  it('in use by another program', () => {
    expect(
      describeListenError(
        errno('EADDRINUSE', 'listen EADDRINUSE: address already in use :::8787'),
        8787,
        'npm start',
      ),
    ).toBe(
      'Slotbot cannot listen on port 8787: it is in use by another program. Stop that program or set PORT to a free port (e.g. PORT=8788 npm start).',
    );
  });

  it('the highest port suggests another one that exists', () => {
    expect(describeListenError(errno('EADDRINUSE', 'in use'), 65535, 'npm start')).toContain(
      '(e.g. PORT=65534 npm start)',
    );
  });

  it('a privileged port', () => {
    expect(
      describeListenError(
        errno('EACCES', 'listen EACCES: permission denied 0.0.0.0:80'),
        80,
        'deno run -A edge/runtime/deno.ts',
      ),
    ).toBe(
      'Slotbot cannot listen on port 80: this user may not open it (ports below 1024 need administrator rights). Set PORT to a port from 1024 up (e.g. PORT=8787 deno run -A edge/runtime/deno.ts).',
    );
  });

  it('a refusal on a high port does not blame the port number', () => {
    expect(describeListenError(errno('EACCES', 'permission denied'), 9000, 'npm start')).toBe(
      'Slotbot cannot listen on port 9000: this user may not open it. Set PORT to another port (e.g. PORT=9001 npm start).',
    );
  });

  it('anything else keeps the system message, still on one line', () => {
    expect(
      describeListenError(
        errno('EADDRNOTAVAIL', 'listen EADDRNOTAVAIL: address not available\nsecond line'),
        8787,
        'npm start',
      ),
    ).toBe(
      'Slotbot cannot listen on port 8787: listen EADDRNOTAVAIL: address not available second line. Set PORT to another port (e.g. PORT=8788 npm start).',
    );
    expect(describeListenError('odd', 8787, 'npm start')).toBe(
      'Slotbot cannot listen on port 8787: odd. Set PORT to another port (e.g. PORT=8788 npm start).',
    );
  });
});
