import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface SlackPost {
  channel: string;
  ts: string;
  text: string;
  blocks: { type: string }[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  at: number;
}

/** How the peer answers one chat.postMessage: as Slack does, or rate-limited, refused, or never (it keeps the post). */
export type SlackAnswer = 'ok' | { status: 429; retryAfter: number } | { error: string } | 'store-then-hang';

export interface TestSlack {
  url: string;
  /** Posts Slack accepted, per channel. */
  posts: SlackPost[];
  /** Every chat.postMessage call, accepted or not, with its time. */
  calls: { channel: string; at: number; answer: string }[];
  /** Answers for the next calls to a channel, in order; then 'ok'. */
  script(channel: string, ...answers: SlackAnswer[]): void;
  stop(): Promise<void>;
}

async function form(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  if (req.headers['content-type']?.includes('application/json')) return JSON.parse(body) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(body));
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** An HTTP server speaking the parts of Slack's Web API the notifier uses (chat.postMessage, conversations.history). */
export async function startSlack(token: string): Promise<TestSlack> {
  const posts: SlackPost[] = [];
  const calls: TestSlack['calls'] = [];
  const scripts = new Map<string, SlackAnswer[]>();
  let seq = 0;
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const params = await form(req);
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
      const method = req.url!.replace(/^\/api\//, '');
      if (method === 'conversations.history') {
        const messages = posts.filter((p) => p.channel === params.channel && Number(p.ts) >= Number(params.oldest ?? 0));
        return json(res, 200, {
          ok: true,
          messages: messages.map((m) => ({ type: 'message', ts: m.ts, text: m.text, metadata: m.metadata })),
        });
      }
      if (method !== 'chat.postMessage') return json(res, 200, { ok: false, error: 'unknown_method' });
      const answer = scripts.get(params.channel)?.shift() ?? 'ok';
      calls.push({ channel: params.channel, at: Date.now(), answer: typeof answer === 'string' ? answer : JSON.stringify(answer) });
      if (typeof answer === 'object' && 'status' in answer)
        return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(answer.retryAfter) });
      if (typeof answer === 'object') return json(res, 200, { ok: false, error: answer.error });
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
      const post = {
        channel: params.channel,
        ts,
        text: params.text,
        blocks: JSON.parse(params.blocks ?? '[]') as SlackPost['blocks'],
        metadata: params.metadata ? (JSON.parse(params.metadata) as SlackPost['metadata']) : undefined,
        at: Date.now(),
      };
      posts.push(post);
      if (answer === 'store-then-hang') return void hanging.push(res);
      json(res, 200, { ok: true, channel: params.channel, ts, message: { text: params.text, ts } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/`,
    posts,
    calls,
    script: (channel, ...answers) => scripts.set(channel, answers),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
