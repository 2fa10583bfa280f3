import { type CliOptions, startCli } from './cli-process.js';

/** Every view process started and not yet ended: {@link stopViewClis} ends them. */
const running = new Set<ReturnType<typeof startCli>>();

/**
 * Kills the view processes a test left running (one that failed before it
 * stopped its `--ui-keep` or `ui` process, say), so none outlives the tests.
 */
export async function stopViewClis(): Promise<void> {
  const left = [...running];
  for (const cli of left) cli.child.kill('SIGKILL');
  await Promise.all(left.map((cli) => cli.outcome.catch(() => undefined)));
}

/** A `multi-context` process that serves a run view: the URL it printed, once it did. */
export function startViewCli(args: string[], options: CliOptions = {}) {
  const cli = startCli(args, options);
  running.add(cli);
  void cli.outcome.finally(() => running.delete(cli)).catch(() => undefined);
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  cli.child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stderr);
      if (match === null) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  });
  /** Resolves when stderr (from the start) matches `pattern`; rejects if the process ends first. */
  const waitForStderr = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const match = pattern.exec(stderr);
      if (match !== null) return resolve(match);
      waiters.push({ pattern, resolve });
      cli.outcome.then(
        (outcome) =>
          reject(new Error(`exited ${outcome.code} before ${pattern}: ${outcome.stderr}`)),
        reject,
      );
    });
  const url = waitForStderr(/view: (http:\/\/\S+)/).then((match) => match[1]!);
  return { ...cli, url, waitForStderr };
}

/** The boot data a served page embeds. */
export interface Boot {
  view: 'run' | 'list';
  runId?: string;
  eventsUrl?: string;
  cancelUrl?: string;
  runsUrl?: string;
  token?: string;
}

/** The boot data of a page's HTML. */
export function bootOf(html: string): Boot {
  const match = /<script type="application\/json" id="mc-boot">([^<]*)<\/script>/.exec(html);
  if (match === null) throw new Error('the page has no boot data');
  return JSON.parse(match[1]!) as Boot;
}

/** One message of an event stream. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads an event stream to its end (the server ends it after `event: end`), as an EventSource would parse it. */
export async function readEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; messages: SseMessage[] }> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  const text = await response.text();
  const messages: SseMessage[] = [];
  for (const block of text.split('\n\n')) {
    const message: SseMessage = {};
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const field = line.slice(0, colon);
      if (field === 'id' || field === 'event' || field === 'data')
        message[field] = line.slice(colon + 1).replace(/^ /, '');
    }
    if (Object.keys(message).length > 0) messages.push(message);
  }
  return { status: response.status, text, messages };
}
