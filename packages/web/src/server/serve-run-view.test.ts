import type { RunEvent } from '@multi-context/events';
import { Subject } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventSeqs, readSse, request } from '../../test/server/http-client.js';
import { recordRun } from '../../test/server/recorded-run.js';
import { liveRunSource } from './live-run-source.js';
import { type RunViewServer, serveRunView } from './serve-run-view.js';

const RUN_ID = 'run-served-1';
let events: RunEvent[];
beforeAll(async () => {
  ({ events } = await recordRun(RUN_ID));
});

/** A live run fed by the test, one event at a time. */
function feed() {
  const events$ = new Subject<RunEvent>();
  const cancels: string[] = [];
  const source = liveRunSource({
    runId: RUN_ID,
    workflowName: 'Server test',
    events$,
    cancel: (reason) => cancels.push(reason),
  });
  let sent = 0;
  return {
    source,
    cancels,
    sendUpTo(count: number) {
      while (sent < count) events$.next(events[sent++]!);
      if (sent === events.length) events$.complete();
    },
  };
}

const views: RunViewServer[] = [];
afterEach(async () => {
  await Promise.all(views.splice(0).map((view) => view.close()));
});

async function serve(
  options: Partial<Parameters<typeof serveRunView>[0]> & {
    source: Parameters<typeof serveRunView>[0]['source'];
  },
) {
  const view = await serveRunView(options);
  views.push(view);
  return view;
}

const origin = (view: RunViewServer) => new URL(view.url).origin;

describe('serveRunView', () => {
  it('serves the list and run pages with the boot the page needs and strict headers', async () => {
    const run = feed();
    run.sendUpTo(3);
    const view = await serve({ source: run.source, token: 'tok-1' });
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(view.runUrl(RUN_ID)).toBe(`${origin(view)}/runs/${RUN_ID}`);

    const page = await request(view.runUrl(RUN_ID));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(`/api/runs/${RUN_ID}/events`);
    expect(page.body).toContain(`/api/runs/${RUN_ID}/cancel`);
    const list = await request(view.url);
    expect(list.status).toBe(200);
    expect(list.body).toContain('/api/runs');
    for (const answer of [page, list]) {
      // The header allows what the page's own policy allows: its inlined script, by hash.
      const scriptSrc = /script-src [^;"]+/.exec(answer.body)?.[0];
      expect(scriptSrc).toMatch(/sha256-/);
      expect(answer.headers['content-security-policy']).toContain(scriptSrc);
      expect(answer.headers['content-security-policy']).toMatch(/connect-src 'self'/);
      expect(answer.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(
        Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
    }
  });

  it('lists the run as JSON, live while it runs and with its outcome once it ended', async () => {
    const run = feed();
    run.sendUpTo(4);
    const view = await serve({ source: run.source });
    const before = JSON.parse((await request(`${origin(view)}/api/runs`)).body);
    expect(before.runs).toEqual([
      expect.objectContaining({
        runId: RUN_ID,
        workflowName: 'Server test',
        status: 'running',
        live: true,
      }),
    ]);
    run.sendUpTo(events.length);
    const after = JSON.parse((await request(`${origin(view)}/api/runs`)).body);
    expect(after.runs[0]).toMatchObject({
      status: 'succeeded',
      live: false,
      tasks: { total: 3, succeeded: 3, failed: 0, skipped: 0, cancelled: 0 },
    });
    expect(after.runs[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('streams every event in batches, each with its last seq as id, then end, and closes the stream', async () => {
    const run = feed();
    const view = await serve({ source: run.source });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    expect(await reader.status).toBe(200);
    run.sendUpTo(2);
    await reader.waitFor(2);
    run.sendUpTo(events.length);
    await reader.ended;
    expect(eventSeqs(reader.messages)).toEqual(events.map((event) => event.seq));
    const batches = reader.messages.filter((m) => m.event === undefined);
    // The first two events, sent together, then the rest (a burst) together.
    expect(batches.map((m) => (JSON.parse(m.data!) as unknown[]).length)).toEqual([
      2,
      events.length - 2,
    ]);
    for (const batch of batches) {
      const sent = JSON.parse(batch.data!) as RunEvent[];
      expect(Number(batch.id)).toBe(sent.at(-1)!.seq);
    }
    expect(reader.messages.at(-1)).toEqual({ event: 'end', data: '{}' });
    expect(JSON.parse(batches[0]!.data!)).toEqual(events.slice(0, 2));
  });

  it("does not end a resumed run's stream at the interrupted session's run:end", async () => {
    // The record of a resumed run: a first session that ended cancelled, then run:resume and the rest.
    const end = events.at(-1)!;
    const cut = 3;
    const record: RunEvent[] = [
      ...events.slice(0, cut),
      { ...end, seq: cut, status: 'cancelled' } as RunEvent,
      {
        type: 'run:resume',
        runId: RUN_ID,
        seq: cut + 1,
        time: end.time,
        workflowName: 'Server test',
        recoveredTaskIds: [],
        interruptedTaskIds: [],
        recoveredContexts: [],
      } as RunEvent,
      ...events.slice(cut).map((event, i) => ({ ...event, seq: cut + 2 + i }) as RunEvent),
    ];
    const events$ = new Subject<RunEvent>();
    const source = liveRunSource({
      runId: RUN_ID,
      workflowName: 'Server test',
      events$,
      cancel() {},
    });
    const view = await serve({ source });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    expect(await reader.status).toBe(200);
    for (const event of record) events$.next(event);
    events$.complete();
    await reader.ended;
    expect(eventSeqs(reader.messages)).toEqual(record.map((event) => event.seq));
    expect(reader.messages.at(-1)).toEqual({ event: 'end', data: '{}' });
  });

  it('writes a steady stream of events as a batch every flushIntervalMs, not one message each', async () => {
    // 120 events one or two milliseconds apart: never 15 ms quiet, so a batch every 40 ms or so.
    const events$ = new Subject<RunEvent>();
    const source = liveRunSource({
      runId: RUN_ID,
      workflowName: 'Server test',
      events$,
      cancel: () => {},
    });
    const view = await serve({ source, flushIntervalMs: 40 });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    expect(await reader.status).toBe(200);
    const count = 120;
    const started = performance.now();
    for (let seq = 0; seq < count; seq++) {
      events$.next({ ...events[seq % (events.length - 1)]!, seq });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const took = performance.now() - started;
    await reader.waitFor(count);
    expect(eventSeqs(reader.messages)).toEqual(Array.from({ length: count }, (_, seq) => seq));
    const batches = reader.messages.filter((m) => m.event === undefined).length;
    expect(batches).toBeGreaterThanOrEqual(2);
    // At most one a 40 ms (plus the quiet ends a busy machine's slow timers make), never one an event.
    expect(batches).toBeLessThan(count / 4);
    expect(took).toBeGreaterThan(80);
    reader.abort();
  });

  it('sends a long backlog as several messages of at most about 512 kB, resumable from each', async () => {
    const events$ = new Subject<RunEvent>();
    const source = liveRunSource({
      runId: RUN_ID,
      workflowName: 'Server test',
      events$,
      cancel: () => {},
    });
    // 300 events of about 10 kB each: 3 MB waiting when the page connects.
    const count = 300;
    const big = 'x'.repeat(10_000);
    for (let seq = 0; seq < count; seq++) {
      events$.next({
        ...events[seq % (events.length - 1)]!,
        seq,
        note: big,
      } as unknown as RunEvent);
    }
    const view = await serve({ source });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    await reader.waitFor(count);
    const batches = reader.messages.filter((m) => m.event === undefined);
    expect(batches.length).toBeGreaterThanOrEqual(6);
    for (const batch of batches) {
      expect(batch.data!.length).toBeLessThanOrEqual(512 * 1024 + 20_000);
      expect(Number(batch.id)).toBe((JSON.parse(batch.data!) as RunEvent[]).at(-1)!.seq);
    }
    expect(eventSeqs(reader.messages)).toEqual(Array.from({ length: count }, (_, seq) => seq));
    reader.abort();
    // Resumed from the id of the third message: the rest, once.
    const third = Number(batches[2]!.id);
    const resumed = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`, {
      'last-event-id': String(third),
    });
    await resumed.waitFor(count - third - 1);
    expect(eventSeqs(resumed.messages)).toEqual(
      Array.from({ length: count - third - 1 }, (_, i) => third + 1 + i),
    );
    resumed.abort();
  });

  it('resumes after Last-Event-ID or ?after= with no gap and no duplicate, at every point of a run', async () => {
    // A page that reconnects (or reloads) after each event it got: the union must be the run, once.
    for (const header of [true, false]) {
      const run = feed();
      const view = await serve({ source: run.source });
      const seen: number[] = [];
      let last = -1;
      for (let step = 0; step < events.length; step++) {
        run.sendUpTo(step + 1);
        const url = `${origin(view)}/api/runs/${RUN_ID}/events${header ? '' : `?after=${last}`}`;
        const reader = readSse(url, header && last >= 0 ? { 'last-event-id': String(last) } : {});
        await reader.waitFor(1);
        if (step + 1 < events.length) {
          // More may come: take what is there now, then leave as a reload does.
          await new Promise((resolve) => setTimeout(resolve, 20));
          reader.abort();
        } else await reader.ended;
        const got = eventSeqs(reader.messages);
        seen.push(...got);
        last = got.at(-1) ?? last;
      }
      expect(seen).toEqual(events.map((event) => event.seq));
    }
  });

  it('sends nothing twice when events arrive while a resumed stream catches up', async () => {
    const run = feed();
    run.sendUpTo(5);
    const view = await serve({ source: run.source });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`, { 'last-event-id': '2' });
    await reader.waitFor(2);
    run.sendUpTo(events.length);
    await reader.ended;
    expect(eventSeqs(reader.messages)).toEqual(events.slice(3).map((event) => event.seq));
  });

  it('answers a malformed resume point with 400 and an unknown run with 404', async () => {
    const run = feed();
    const view = await serve({ source: run.source });
    expect((await request(`${origin(view)}/api/runs/${RUN_ID}/events?after=abc`)).status).toBe(400);
    expect((await request(`${origin(view)}/api/runs/nope/events`)).status).toBe(404);
    expect((await request(`${origin(view)}/runs/nope`)).status).toBe(404);
    expect((await request(`${origin(view)}/runs/..%2F..%2Fetc`)).status).toBe(404);
    expect(
      (
        await request(`${origin(view)}/api/runs/nope/cancel`, {
          method: 'POST',
          headers: { 'x-mc-token': view.token },
        })
      ).status,
    ).toBe(404);
    expect((await request(`${origin(view)}/nothing-here`)).status).toBe(404);
    expect((await request(`${origin(view)}/api/runs`, { method: 'POST' })).status).toBe(405);
    expect((await request(`${origin(view)}/api/runs/${RUN_ID}/cancel`)).status).toBe(405);
  });

  it('sends a heartbeat comment on an idle stream', async () => {
    const run = feed();
    run.sendUpTo(1);
    const view = await serve({ source: run.source, heartbeatMs: 30 });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    await reader.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(reader.comments.filter((comment) => comment === 'heartbeat').length).toBeGreaterThan(1);
    reader.abort();
  });

  it('refuses a Host it does not serve on loopback (DNS rebinding)', async () => {
    const run = feed();
    const view = await serve({ source: run.source });
    const { port } = new URL(view.url);
    const answer = await request(view.url, { headers: { host: `attacker.example:${port}` } });
    expect(answer.status).toBe(403);
    expect((await request(view.url, { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });
});

describe('cancel', () => {
  const cancelUrl = (view: RunViewServer) => `${origin(view)}/api/runs/${RUN_ID}/cancel`;

  it('needs the token, a same-origin page, and a live run', async () => {
    const run = feed();
    run.sendUpTo(3);
    const view = await serve({ source: run.source, token: 'the-token' });
    const post = (headers: Record<string, string>) =>
      request(cancelUrl(view), { method: 'POST', headers });

    const none = await post({});
    expect(none.status).toBe(403);
    expect(none.body).toMatch(/x-mc-token/);
    expect((await post({ 'x-mc-token': 'wrong-token' })).status).toBe(403);
    const foreign = await post({ 'x-mc-token': 'the-token', origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/cross-origin/);
    expect((await post({ 'x-mc-token': 'the-token', 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect((await post({ 'x-mc-token': 'the-token', 'sec-fetch-site': 'same-site' })).status).toBe(
      403,
    );
    expect(run.cancels).toEqual([]);

    const { host } = new URL(view.url);
    const accepted = await post({
      'x-mc-token': 'the-token',
      origin: `http://${host}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(accepted.status).toBe(202);
    expect(run.cancels).toEqual(['cancelled from the web view']);

    run.sendUpTo(events.length);
    expect((await post({ 'x-mc-token': 'the-token' })).status).toBe(409);
    // A run that ended offers no cancel on its page.
    expect((await request(view.runUrl(RUN_ID))).body).not.toContain(`/api/runs/${RUN_ID}/cancel`);
  });
});

describe('on an interface other than loopback', () => {
  it('needs the token in every URL, and prints it in the ones it gives', async () => {
    const run = feed();
    run.sendUpTo(2);
    const view = await serve({ source: run.source, host: '0.0.0.0', token: 'net-token' });
    expect(view.url).toMatch(/\?token=net-token$/);
    expect(view.runUrl(RUN_ID)).toMatch(new RegExp(`/runs/${RUN_ID}\\?token=net-token$`));
    const { port } = new URL(view.url);
    const local = `http://127.0.0.1:${port}`;
    for (const path of ['/', `/runs/${RUN_ID}`, '/api/runs', `/api/runs/${RUN_ID}/events`]) {
      expect((await request(`${local}${path}`)).status, path).toBe(403);
      expect((await request(`${local}${path}?token=wrong`)).status, path).toBe(403);
    }
    expect((await request(`${local}/api/runs?token=net-token`)).status).toBe(200);
    expect((await request(`${local}/runs/${RUN_ID}?token=net-token`)).status).toBe(200);
    const reader = readSse(`${local}/api/runs/${RUN_ID}/events?token=net-token`);
    await reader.waitFor(2);
    expect(eventSeqs(reader.messages)).toEqual([0, 1]);
    reader.abort();
  });
});

describe('close()', () => {
  it('ends open streams and connections within a second', async () => {
    const run = feed();
    run.sendUpTo(2);
    const view = await serveRunView({ source: run.source });
    const readers = [1, 2, 3].map(() => readSse(`${origin(view)}/api/runs/${RUN_ID}/events`));
    await Promise.all(readers.map((reader) => reader.waitFor(2)));
    const started = performance.now();
    await view.close();
    await Promise.all(readers.map((reader) => reader.ended));
    expect(performance.now() - started).toBeLessThan(1000);
    // Nothing listens any more.
    await expect(request(view.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('still sends the end to a page when it closes in the same turn as the run ended', async () => {
    const run = feed();
    run.sendUpTo(2);
    const view = await serveRunView({ source: run.source });
    const reader = readSse(`${origin(view)}/api/runs/${RUN_ID}/events`);
    await reader.waitFor(2);
    run.sendUpTo(events.length);
    const closed = view.close();
    await reader.ended;
    await closed;
    expect(eventSeqs(reader.messages)).toEqual(events.map((event) => event.seq));
    expect(reader.messages.at(-1)).toEqual({ event: 'end', data: '{}' });
  });
});

afterAll(async () => {
  await Promise.all(views.splice(0).map((view) => view.close()));
});
