import { createServer } from 'node:http';
import { verifyWebhook } from '../../activities/notify/webhook.ts';

export interface ReceivedWebhook {
  path: string;
  key: string;
  body: {
    type: string;
    deliveryId: string;
    alert: { id: string; rule: string; severity: string; title: string; runId: string | null; ackUrl?: string | null };
  };
  at: number;
}

export interface TestWebhookReceiver {
  url: string;
  /** Requests whose signature verified, in order of arrival (a retry's copy included). */
  received: ReceivedWebhook[];
  /** What the receiver acted on: one per idempotency key, as a receiver that honours the key does. */
  delivered(path?: string): ReceivedWebhook[];
  refused: string[];
  /** Hold the next request to this path without answering (a send whose outcome the sender never learns). */
  holdNext(path: string): void;
  stop(): Promise<void>;
}

/** A webhook receiver on loopback that checks each signature and keeps what it got. */
export async function startWebhookReceiver(secret: string): Promise<TestWebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const refused: string[] = [];
  const hold = new Set<string>();
  const server = createServer((req, res) => {
    void (async () => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const problem = verifyWebhook(secret, req.headers, body);
      if (problem) {
        refused.push(problem);
        res.writeHead(401).end(problem);
        return;
      }
      received.push({
        path: req.url!,
        key: String(req.headers['idempotency-key']),
        body: JSON.parse(body) as ReceivedWebhook['body'],
        at: Date.now(),
      });
      if (hold.delete(req.url!)) return; // never answered
      res.writeHead(204).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    refused,
    delivered: (path) => {
      const seen = new Set<string>();
      return received.filter((r) => (path === undefined || r.path === path) && !seen.has(r.key) && seen.add(r.key));
    },
    holdNext: (path) => hold.add(path),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
