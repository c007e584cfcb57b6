/** Ports for servers a test or benchmark starts. */
import { createServer } from 'node:net';

/** A TCP port free right now on 127.0.0.1 (for servers that must be told their port, e.g. wrangler dev, Portkey). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}
