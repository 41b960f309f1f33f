import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** How the stub answers one post. */
export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedPost {
  path: string;
  body: { text: string; attachments: Array<{ color: string; blocks: unknown[] }> };
  status: number;
  at: number;
}

/**
 * A local stand-in for Slack incoming webhooks: every path is a webhook. Records every request with the status it
 * answered; answers 200 "ok" unless told otherwise per path (a script of answers, then a fallback), and can hold
 * requests unanswered (as a hung Slack would) until released.
 */
export interface SlackStub {
  readonly base: string;
  url(path: string): string;
  readonly requests: RecordedPost[];
  /** Posts Slack accepted (answered 2xx) for a path. */
  accepted(path: string): RecordedPost[];
  /** The next answers for a path, in order; `fallback` once they are used up (default 200). */
  script(path: string, answers: StubAnswer[], fallback?: StubAnswer): void;
  /** Stop answering: new requests hang until `release()`; they are recorded as answered 0 if never released. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startSlackStub(): Promise<SlackStub> {
  const requests: RecordedPost[] = [];
  const scripts = new Map<string, { answers: StubAnswer[]; fallback: StubAnswer }>();
  let holding = false;
  const hung: Array<() => void> = [];
  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = req.url ?? '/';
    const s = scripts.get(path);
    const a: StubAnswer = s?.answers.shift() ?? s?.fallback ?? { status: 200, body: 'ok' };
    requests.push({ path, body: JSON.parse(raw) as RecordedPost['body'], status: a.status, at: Date.now() });
    res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.headers ?? {}) });
    res.end(a.body ?? (a.status === 200 ? 'ok' : 'error'));
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (holding) {
        const path = req.url ?? '/';
        const entry: RecordedPost = { path, body: JSON.parse(raw) as RecordedPost['body'], status: 0, at: Date.now() };
        requests.push(entry);
        hung.push(() => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        });
        return;
      }
      answer(req, res, raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    url: (path) => `${base}${path}`,
    requests,
    accepted: (path) => requests.filter((r) => r.path === path && r.status >= 200 && r.status < 300),
    script(path, answers, fallback = { status: 200, body: 'ok' }) {
      scripts.set(path, { answers: [...answers], fallback });
    },
    hold() {
      holding = true;
    },
    release() {
      // Requests held so far stay recorded as unanswered (0): the client that sent them is gone or timed out.
      holding = false;
      hung.splice(0).forEach((f) => {
        try {
          f();
        } catch {
          /* the client has gone: nothing to answer */
        }
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
