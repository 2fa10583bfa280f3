import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** A whole HTTP answer. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with exactly the headers given (Node's fetch adds some of its own and forbids Host). */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
      response.on('error', reject);
    });
    req.end();
  });
}

/** One message of an event stream. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

/** An event stream being read: its messages so far, its comments, and its end. */
export interface SseReader {
  status: Promise<number>;
  messages: SseMessage[];
  comments: string[];
  /** Resolves once `count` run events arrived, in however many batches (or the stream ended). */
  waitFor(count: number): Promise<void>;
  /** Resolves when the server ended the response. */
  ended: Promise<void>;
  /** Closes the connection from this side, as a page that is reloaded does. */
  abort(): void;
}

/** Opens an event stream and parses it as an EventSource would. */
export function readSse(url: string, headers: Record<string, string> = {}): SseReader {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let done = false;
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (done || eventCount(messages) >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  let resolveStatus!: (status: number) => void;
  let resolveEnded!: () => void;
  const status = new Promise<number>((resolve) => {
    resolveStatus = resolve;
  });
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });
  const finish = () => {
    done = true;
    wake();
    resolveEnded();
  };
  const req = httpRequest(url, {
    headers: { accept: 'text/event-stream', ...headers },
    agent: false,
  });
  req.on('error', finish);
  req.on('response', (response) => {
    resolveStatus(response.statusCode ?? 0);
    let carry = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      carry += chunk;
      let end = carry.indexOf('\n\n');
      while (end !== -1) {
        const block = carry.slice(0, end);
        carry = carry.slice(end + 2);
        const message: SseMessage = {};
        let isMessage = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('retry:')) continue;
          else {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id' || field === 'event' || field === 'data') {
              message[field] = value;
              isMessage = true;
            }
          }
        }
        if (isMessage) messages.push(message);
        end = carry.indexOf('\n\n');
      }
      wake();
    });
    response.on('end', finish);
    response.on('close', finish);
  });
  req.end();
  return {
    status,
    messages,
    comments,
    ended,
    waitFor: (count) =>
      new Promise((resolve) => {
        waiters.push({ count, resolve });
        wake();
      }),
    abort: () => req.destroy(),
  };
}

/** The run events of a stream's messages: each message (but `end`) holds a JSON array of them. */
export function eventsOf(messages: readonly SseMessage[]): { seq: number }[] {
  return messages
    .filter((message) => message.event === undefined)
    .flatMap((message) => JSON.parse(message.data ?? '[]') as { seq: number }[]);
}

/** The seqs of a stream's run events, in the order sent. */
export function eventSeqs(messages: readonly SseMessage[]): number[] {
  return eventsOf(messages).map((event) => event.seq);
}

function eventCount(messages: readonly SseMessage[]): number {
  return eventsOf(messages).length;
}
