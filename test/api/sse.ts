import { expect } from 'vitest';

export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events stream; stops after `limit` events (dropping the connection) or at its end. */
export async function readEvents(url: string, bearer: string, opts: { lastEventId?: string; limit?: number } = {}): Promise<SseEvent[]> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' };
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  const response = await fetch(url, { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = new Map(
          block
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
        );
        if (!fields.has('data')) continue;
        events.push({ id: fields.get('id'), event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) });
        if (opts.limit && events.length >= opts.limit) return events;
      }
    }
  } finally {
    abort.abort();
  }
}
