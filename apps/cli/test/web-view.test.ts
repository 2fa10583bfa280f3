import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import { attachRedisJournal } from '@multi-context/journal-redis';
import {
  type ChatServer,
  startChatServer,
  startRedisServer,
  type TestRedis,
} from '@multi-context/testing';
import type { Workflow } from '@multi-context/workflow';
import { Subject } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, runCli } from './cli-process.js';
import { interruptedRun } from './journal-cli.js';
import { bootOf, readEventStream, startViewCli, stopViewClis } from './view-process.js';
import { parallelWorkflow, type Workspace, workspace } from './workspace.js';

const demo = resolve(cliRoot, '../../examples/demo/workflow.yaml');

let space: Workspace;
// A test that fails midway leaves no view process behind.
afterEach(stopViewClis);
beforeAll(() => {
  space = workspace();
});
afterAll(() => space.remove());

/** Each test journals into a folder of its own. */
let journals = 0;
function journalDir(): string {
  return join(space.dir, `runs-${++journals}`);
}

function journalEvents(dir: string, runId: string): RunEvent[] {
  return readFileSync(join(dir, runId, 'events.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => runEventSchema.parse(JSON.parse(line)));
}

/** The run events of a stream: each message but the end holds a batch of them (a JSON array) whose last seq is its id. */
const dataOf = (messages: { id?: string; event?: string; data?: string }[]) =>
  messages
    .filter((message) => message.event === undefined && message.data !== undefined)
    .flatMap((message) => {
      const batch = JSON.parse(message.data!) as RunEvent[];
      expect(Array.isArray(batch)).toBe(true);
      expect(Number(message.id)).toBe(batch.at(-1)!.seq);
      return batch;
    });

describe('run --ui', () => {
  it('serves the run live while it runs: its page, the list and every event to the end; exits with the run', async () => {
    const dir = journalDir();
    const cli = startViewCli(
      ['run', demo, '--ui', '--quiet', '--mock-delay', '40', '--journal-dir', dir],
      { cwd: space.dir },
    );
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/runs\/[0-9a-f-]{36}$/);
    const { origin } = new URL(url);
    const runId = url.split('/').at(-1)!;

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const boot = bootOf(await page.text());
    expect(boot).toMatchObject({
      view: 'run',
      runId,
      eventsUrl: `/api/runs/${runId}/events`,
      cancelUrl: `/api/runs/${runId}/cancel`,
    });
    const list = (await (await fetch(`${origin}/api/runs`)).json()) as {
      runs: { runId: string; status: string; live: boolean }[];
    };
    expect(list.runs.find((run) => run.runId === runId)).toMatchObject({
      status: 'running',
      live: true,
    });

    const stream = await readEventStream(`${origin}${boot.eventsUrl}`);
    expect(stream.status).toBe(200);
    expect(stream.messages.at(-1)).toEqual({ event: 'end', data: '{}' });
    const events = dataOf(stream.messages);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });

    const outcome = await cli.outcome;
    expect(outcome.code, outcome.stderr).toBe(0);
    // What the page got is what the journal holds.
    expect(events).toEqual(journalEvents(dir, runId));
    // The view stopped with the run.
    await expect(fetch(url)).rejects.toThrow();
  });

  it('resume --ui shows the resumed run from its first event: the interrupted session, then the resumed one', async () => {
    const dir = journalDir();
    const { runId, outcome: stopped } = await interruptedRun(
      space.dir,
      'SIGINT',
      (event) => event.type === 'task:end',
      ['--journal-dir', dir],
      demo,
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    const before = journalEvents(dir, runId);
    const cli = startViewCli(
      ['resume', runId, '--ui', '--quiet', '--mock-delay', '40', '--journal-dir', dir],
      { cwd: space.dir },
    );
    const url = await cli.url;
    expect(url).toMatch(new RegExp(`/runs/${runId}$`));
    const { origin } = new URL(url);
    const stream = await readEventStream(`${origin}/api/runs/${runId}/events`);
    const events = dataOf(stream.messages);
    const outcome = await cli.outcome;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(events[0]).toMatchObject({ type: 'run:start', seq: 0 });
    expect(events.slice(0, before.length)).toEqual(before);
    expect(events[before.length]).toMatchObject({ type: 'run:resume', runId });
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    // The page got what the journal holds, both sessions.
    expect(events).toEqual(journalEvents(dir, runId));
  });

  it('cancels the run from the page with the token only; the run ends cancelled and the CLI exits 130', async () => {
    const dir = journalDir();
    const cli = startViewCli(
      ['run', demo, '--ui', '--quiet', '--mock-delay', '300', '--journal-dir', dir],
      { cwd: space.dir },
    );
    const url = await cli.url;
    const { origin, host } = new URL(url);
    const boot = bootOf(await (await fetch(url)).text());
    const cancel = (headers: Record<string, string>) =>
      fetch(`${origin}${boot.cancelUrl}`, { method: 'POST', headers });

    expect((await cancel({})).status).toBe(403);
    expect((await cancel({ 'x-mc-token': 'not-the-token' })).status).toBe(403);
    expect(
      (await cancel({ 'x-mc-token': boot.token!, origin: 'http://evil.example' })).status,
    ).toBe(403);
    const accepted = await cancel({ 'x-mc-token': boot.token!, origin: `http://${host}` });
    expect(accepted.status).toBe(202);

    const outcome = await cli.outcome;
    expect(outcome.code, outcome.stderr).toBe(130);
    expect(journalEvents(dir, boot.runId!).at(-1)).toMatchObject({
      type: 'run:end',
      status: 'cancelled',
    });
  });

  it("keeps serving after the run with --ui-keep, until Ctrl-C, and exits with the run's code", async () => {
    const dir = journalDir();
    const cli = startViewCli(
      ['run', demo, '--ui', '--ui-keep', '--quiet', '--mock-delay', '0', '--journal-dir', dir],
      { cwd: space.dir },
    );
    const url = await cli.url;
    const { origin } = new URL(url);
    const boot = bootOf(await (await fetch(url)).text());
    // The whole run, replayed from memory once it ended; a cancel now has nothing to cancel.
    const stream = await readEventStream(`${origin}${boot.eventsUrl}`);
    expect(dataOf(stream.messages).at(-1)).toMatchObject({ type: 'run:end', status: 'succeeded' });
    await cli.waitForStderr(/view stays at/);
    const late = await fetch(`${origin}/api/runs/${boot.runId}/cancel`, {
      method: 'POST',
      headers: { 'x-mc-token': boot.token! },
    });
    expect(late.status).toBe(409);
    cli.child.kill('SIGINT');
    const outcome = await cli.outcome;
    expect(outcome.code, outcome.stderr).toBe(0);
  });

  it('on another interface, prints a URL with a token, and refuses requests without it', async () => {
    const dir = journalDir();
    const cli = startViewCli(
      [
        'run',
        demo,
        '--ui',
        '--ui-keep',
        '--ui-host',
        '0.0.0.0',
        '--quiet',
        '--mock-delay',
        '0',
        '--journal-dir',
        dir,
      ],
      { cwd: space.dir },
    );
    const url = await cli.url;
    const token = new URL(url).searchParams.get('token');
    expect(token).toMatch(/^[\w-]{20,}$/);
    const { port, pathname } = new URL(url);
    const local = `http://127.0.0.1:${port}`;
    expect((await fetch(`${local}${pathname}`)).status).toBe(403);
    expect((await fetch(`${local}/api/runs`)).status).toBe(403);
    expect((await fetch(`${local}${pathname}?token=${token}`)).status).toBe(200);
    await cli.waitForStderr(/view stays at/);
    cli.child.kill('SIGINT');
    const outcome = await cli.outcome;
    expect(outcome.code, `${outcome.signal} ${outcome.stderr}`).toBe(0);
  });

  describe('a port that is taken', () => {
    let blocker: Server;
    afterEach(() => new Promise<void>((done) => blocker.close(() => done())));

    it('stops the command with exit 2 before anything runs or is journaled', async () => {
      blocker = createServer();
      await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
      const port = (blocker.address() as { port: number }).port;
      const dir = journalDir();
      const outcome = await runCli(
        ['run', demo, '--ui', '--ui-port', String(port), '--quiet', '--journal-dir', dir],
        { cwd: space.dir },
      );
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(`cannot serve the run view on 127.0.0.1:${port}`);
      expect(outcome.stderr).not.toMatch(/at .*\.js/);
      expect(() => readFileSync(dir)).toThrow();
    });
  });
});

describe('multi-context ui', () => {
  it('lists the journaled runs and replays each, until Ctrl-C (exit 130)', async () => {
    const dir = journalDir();
    for (let index = 0; index < 2; index++) {
      const ran = await runCli(
        ['run', demo, '--quiet', '--mock-delay', '0', '--journal-dir', dir],
        {
          cwd: space.dir,
        },
      );
      expect(ran.code).toBe(0);
    }
    const cli = startViewCli(['ui', '--journal-dir', dir], { cwd: space.dir });
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const list = bootOf(await (await fetch(url)).text());
    expect(list).toMatchObject({ view: 'list', runsUrl: '/api/runs' });
    const { runs } = (await (await fetch(new URL('/api/runs', url))).json()) as {
      runs: { runId: string; status: string; live: boolean; tasks: { total: number } }[];
    };
    expect(runs).toHaveLength(2);
    for (const run of runs) expect(run).toMatchObject({ status: 'succeeded', live: false });

    const runId = runs[0]!.runId;
    const page = bootOf(await (await fetch(new URL(`/runs/${runId}`, url))).text());
    expect(page.cancelUrl).toBeUndefined();
    const stream = await readEventStream(new URL(page.eventsUrl!, url).href);
    expect(dataOf(stream.messages)).toEqual(journalEvents(dir, runId));
    expect((await fetch(new URL('/runs/no-such-run', url))).status).toBe(404);

    cli.child.kill('SIGINT');
    const outcome = await cli.outcome;
    expect(outcome.code).toBe(130);
  });
});

describe('multi-context report', () => {
  it('writes one self-contained HTML file with the run inlined; an unknown run is exit 2', async () => {
    const dir = journalDir();
    const ran = await runCli(['run', demo, '--json', '--journal-dir', dir], { cwd: space.dir });
    const runId = (JSON.parse(ran.stdout.split('\n')[0]!) as RunEvent).runId;
    const outcome = await runCli(
      ['report', runId.slice(0, 8), '--out', 'report.html', '--journal-dir', dir],
      { cwd: space.dir },
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain('report.html');
    const html = readFileSync(space.path('report.html'), 'utf8');
    const boot = bootOf(html) as unknown as { runId: string; events: RunEvent[] };
    expect(boot.runId).toBe(runId);
    expect(boot.events).toEqual(journalEvents(dir, runId));
    // Nothing is fetched: no element outside the inlined script and style refers to another file
    // (a data: URL is inline).
    const markup = html.replace(/<(script|style)\b([^>]*)>[\s\S]*?<\/\1>/gi, '<$1$2></$1>');
    expect(markup).toMatch(/<script type="application\/json" id="mc-boot"><\/script>/);
    expect(markup).not.toMatch(/<[a-z]+\b[^>]*\b(src|href)=(?!["']?data:)/i);

    const unknown = await runCli(['report', 'nope', '--out', 'x.html', '--journal-dir', dir], {
      cwd: space.dir,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run "nope"/);
    const noOut = await runCli(['report', runId, '--journal-dir', dir], { cwd: space.dir });
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
  });
});

describe('secrets', () => {
  // A server that echoes the key into its error: the sentinel must be nowhere the view serves.
  const SENTINEL = 'sk-SENTINEL-VIEW-9c1e';
  let echoing: ChatServer;
  beforeAll(async () => {
    echoing = await startChatServer({
      wire: 'openai',
      reply: () => ({ status: 401, message: `Incorrect API key provided: ${SENTINEL}.` }),
    });
  });
  afterAll(() => echoing.close());

  it('never reach the page, the run list, the event stream or the report', async () => {
    const dir = journalDir();
    space.write({
      'secret-workflow.yaml': parallelWorkflow([['ask', 'writer', 'Hello']]),
      'secret-profiles.yaml': [
        'providers:',
        `  local: { use: openai, base_url: "${echoing.baseURL}", api_key_env: SENTINEL_KEY }`,
        'profiles:',
        '  writer: { provider: local, model: m, retries: 0 }',
        '',
      ].join('\n'),
    });
    const env = { SENTINEL_KEY: SENTINEL };
    const cli = startViewCli(
      [
        'run',
        'secret-workflow.yaml',
        '--profiles',
        'secret-profiles.yaml',
        '--ui',
        '--ui-keep',
        '--journal-dir',
        dir,
      ],
      { cwd: space.dir, env },
    );
    const url = await cli.url;
    const served: string[] = [];
    const page = await (await fetch(url)).text();
    served.push(page);
    served.push(await (await fetch(new URL('/', url))).text());
    served.push(await (await fetch(new URL('/api/runs', url))).text());
    const stream = await readEventStream(new URL(bootOf(page).eventsUrl!, url).href);
    served.push(stream.text);
    await cli.waitForStderr(/view stays at/);
    cli.child.kill('SIGINT');
    const outcome = await cli.outcome;
    expect(outcome.code).toBe(1);
    // The key was echoed, and taken out.
    expect(stream.text).toContain('[redacted]');
    const runId = bootOf(page).runId!;
    const report = await runCli(['report', runId, '--out', 'secret.html', '--journal-dir', dir], {
      cwd: space.dir,
      env,
    });
    expect(report.code).toBe(0);
    served.push(readFileSync(space.path('secret.html'), 'utf8'));
    for (const text of [...served, outcome.stdout, outcome.stderr])
      expect(text).not.toContain(SENTINEL);
  });
});

describe('multi-context ui --redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);
  afterAll(() => redis?.stop());

  it('lists the runs journaled in Redis and follows one that is still being written', async () => {
    // A real run's record (journaled to a file), then written to Redis in two halves.
    const dir = journalDir();
    const ran = await runCli(['run', demo, '--json', '--journal-dir', dir], { cwd: space.dir });
    const runId = (JSON.parse(ran.stdout.split('\n')[0]!) as RunEvent).runId;
    const header = JSON.parse(
      readFileSync(join(dir, runId, 'events.jsonl'), 'utf8').split('\n')[0]!,
    ) as { workflow: Workflow };
    const events = journalEvents(dir, runId);
    const events$ = new Subject<RunEvent>();
    const writer = attachRedisJournal(
      { runId, workflow: header.workflow, events$ },
      { redis: redis.url },
    );
    const half = Math.floor(events.length / 2);
    for (const event of events.slice(0, half)) events$.next(event);
    await writer.flush();

    const cli = startViewCli(['ui', '--redis', redis.url], { cwd: space.dir });
    const url = await cli.url;
    const { runs } = (await (await fetch(new URL('/api/runs', url))).json()) as {
      runs: { runId: string; status: string; live: boolean }[];
    };
    expect(runs).toEqual([expect.objectContaining({ runId, status: 'running', live: true })]);
    const page = bootOf(await (await fetch(new URL(`/runs/${runId}`, url))).text());
    expect(page.cancelUrl).toBeUndefined();
    const stream = readEventStream(new URL(page.eventsUrl!, url).href);
    await new Promise((done) => setTimeout(done, 300));
    for (const event of events.slice(half)) events$.next(event);
    events$.complete();
    await writer.done;
    const { messages } = await stream;
    expect(dataOf(messages)).toEqual(events);
    expect(messages.at(-1)).toEqual({ event: 'end', data: '{}' });

    cli.child.kill('SIGINT');
    expect((await cli.outcome).code).toBe(130);
  }, 30_000);
});
