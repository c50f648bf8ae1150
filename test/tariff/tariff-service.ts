import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake tariff service does with the next request. */
export type Behaviour =
  | { kind: 'json'; body: unknown; status?: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'html' }
  | { kind: 'broken' }
  | { kind: 'hang' };

/**
 * A local HTTP server that behaves like a utility's tariff service: it answers each request with
 * the next behaviour of its script (the last one repeats) and records what it was asked.
 */
export async function startTariffService(script: Behaviour[]) {
  const requests: { url: string; authorization?: string }[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    // No kept-alive sockets: a client reusing one the server has just timed out would see ECONNRESET instead of the scripted answer.
    res.setHeader('connection', 'close');
    const behaviour = script[Math.min(requests.length - 1, script.length - 1)];
    switch (behaviour.kind) {
      case 'json':
        res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.body));
        return;
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.body ?? 'error');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Down for maintenance</body></html>');
        return;
      case 'broken':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"name": "cut off');
        return;
      case 'hang':
        hanging.add(res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Replaces the script (the request count starts again). */
    answer(next: Behaviour[]) {
      script = next;
      requests.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
