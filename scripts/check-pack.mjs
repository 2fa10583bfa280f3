#!/usr/bin/env node
// Packs every public package and installs each one, with only the tarballs of
// the packages it depends on, into a plain npm project outside the monorepo;
// then runs a smoke script there. Proves the `exports`, `files` and declared
// dependencies are enough on their own. Last, it runs the "From code" snippet
// of README.md the same way, beside the workflow it names. Arguments limit the
// run to those packages (and to the snippet, when it imports one of them or
// `README.md` is given).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackages, publicPackages } from './pack-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const packages = publicPackages();
const only = process.argv.slice(2);
const work = mkdtempSync(path.join(os.tmpdir(), 'mc-pack-'));
const tarballs = packPackages(packages, work);

/** The package and every @multi-context package it depends on, transitively. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const { manifest } = packages.get(name);
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (packages.has(dep)) closure(dep, seen);
  }
  return seen;
}

// What each package must do once installed alone. Every snippet prints "ok" last.
const smoke = {
  '@multi-context/events': `
    import { runEventSchema, ofType } from '@multi-context/events';
    runEventSchema.parse({ type: 'phase:start', runId: 'r', seq: 0, time: 1, phaseIndex: 0, phaseName: 'p' });
    if (typeof ofType('run:end') !== 'function') throw new Error('ofType');`,
  '@multi-context/errors': `
    import { MultiContextError } from '@multi-context/errors';
    class QuotaError extends MultiContextError { static errorName = 'PackQuotaError'; }
    const error = new QuotaError('over');
    if (!QuotaError.isInstance(error) || ![error].filter(MultiContextError.isInstance).length || QuotaError.isInstance(new Error('x'))) throw new Error('errors');`,
  '@multi-context/provider': `
    import { defineProvider, isProvider, ProviderError } from '@multi-context/provider';
    import { of } from 'rxjs';
    const p = defineProvider({ id: 'x', complete: async () => 'y' });
    if (p.specificationVersion !== 'v2' || !ProviderError.isInstance(new ProviderError({ message: 'm' }))) throw new Error('provider');
    // A provider written against the first version of the contract is still one.
    if (!isProvider({ specificationVersion: 'v1', id: 'old', stream: () => of({ type: 'finish', text: 'ok' }) })) throw new Error('v1 provider');`,
  '@multi-context/tools': `
    import { defineTool } from '@multi-context/tools';
    const add = defineTool({
      name: 'add_one',
      description: 'Adds one.',
      inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      execute: ({ n }) => n + 1,
    });
    if (add.name !== 'add_one' || add.inputSchema.type !== 'object' || add.execute({ n: 1 }, {}) !== 2) throw new Error('tools');`,
  '@multi-context/mcp': `
    import { writeFileSync } from 'node:fs';
    import { McpStartError, startMcpTools } from '@multi-context/mcp';
    // A stdio MCP server written with the SDK the package brings.
    writeFileSync('echo-server.mjs', [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
      "import { z } from 'zod';",
      "const server = new McpServer({ name: 'echo', version: '1.0.0' });",
      "server.registerTool('echo', { description: 'Echoes.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));",
      'await server.connect(new StdioServerTransport());',
    ].join('\\n'));
    const mcp = await startMcpTools({ servers: { echo: { command: process.execPath, args: ['echo-server.mjs'] } }, profiles: { p: [{ mcp: 'echo' }] } });
    try {
      const answer = await mcp.tools.echo.execute({ text: 'hi' }, { signal: new AbortController().signal });
      if (answer !== 'hi' || mcp.profileTools.p[0] !== 'echo' || mcp.pids.length !== 1) throw new Error('mcp: ' + answer);
    } finally {
      await mcp.close();
    }
    const failed = await startMcpTools({ servers: { x: { command: 'no-such-command-here' } }, profiles: { p: [{ mcp: 'x' }] } }).catch((error) => error);
    if (!McpStartError.isInstance(failed)) throw new Error('mcp start error');`,
  '@multi-context/context': `
    import { ExecutionContext } from '@multi-context/context';
    const c = new ExecutionContext('n', { maxHistory: 2 });
    c.addMessage('user', 'a'); c.addMessage('assistant', 'b'); c.addMessage('user', 'c');
    if (JSON.stringify(c.getHistory()) !== JSON.stringify([{ role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }])) throw new Error('context');`,
  '@multi-context/workflow': `
    import { defineWorkflow, workflowJsonSchema } from '@multi-context/workflow';
    const w = defineWorkflow({ name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x' }] }] });
    if (w.phases[0].tasks[0].id !== 'c' || typeof workflowJsonSchema() !== 'object') throw new Error('workflow');`,
  '@multi-context/loader': `
    import { parseWorkflow, WorkflowLoadError } from '@multi-context/loader';
    const w = parseWorkflow('name: w\\nphases:\\n  - name: p\\n    tasks:\\n      - context_name: c\\n        prompt: x\\n');
    try { parseWorkflow('name: w\\nphases: []\\n', { source: 'w.yaml' }); throw new Error('accepted'); }
    catch (e) { if (!WorkflowLoadError.isInstance(e) || e.issues[0].line !== 2) throw e; }
    if (w.phases.length !== 1) throw new Error('loader');`,
  '@multi-context/core': `
    import { MultiContextOrchestrator } from '@multi-context/core';
    const o = new MultiContextOrchestrator({ session: { runProfile: async ({ prompt }) => 'heard ' + prompt } });
    const wf = { name: 'w', phases: [{ name: 'p', executionMode: 'parallel', tasks: [{ id: 'a', contextName: 'a', prompt: 'x' }] }], config: { maxContextHistory: 50, continueOnError: true } };
    const run = o.run(wf);
    let n = 0;
    run.events$.subscribe(() => n++);
    const r = await run.result;
    if (r.successfulTasks !== 1 || n < 5 || r.phases[0].results[0].response !== 'heard x') throw new Error('core');`,
  '@multi-context/provider-mock': `
    import { createMockProvider } from '@multi-context/provider-mock';
    import { lastValueFrom, toArray } from 'rxjs';
    const p = createMockProvider();
    const events = await lastValueFrom(p.stream({ prompt: 'hi', history: [], messages: [{ role: 'user', content: 'hi' }], profile: 'p', model: undefined, system: undefined, params: {}, contextName: 'c', taskId: 't', runId: 'r', signal: new AbortController().signal }).pipe(toArray()));
    if (events.at(-1).type !== 'finish') throw new Error('mock');`,
  '@multi-context/provider-openai': `
    import { createOpenAIProvider } from '@multi-context/provider-openai';
    import { isProvider } from '@multi-context/provider';
    const p = createOpenAIProvider({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' });
    // v2: profiles with tools may use it.
    if (!isProvider(p) || p.specificationVersion !== 'v2') throw new Error('openai');`,
  '@multi-context/provider-anthropic': `
    import { createAnthropicProvider } from '@multi-context/provider-anthropic';
    import { isProvider } from '@multi-context/provider';
    const p = createAnthropicProvider({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9' });
    if (!isProvider(p) || p.specificationVersion !== 'v2') throw new Error('anthropic');`,
  '@multi-context/provider-ai-sdk': `
    import { createAISDKProvider } from '@multi-context/provider-ai-sdk';
    import { isProvider } from '@multi-context/provider';
    // The model function is called only when a request comes.
    const p = createAISDKProvider(() => { throw new Error('no model here'); });
    if (!isProvider(p) || p.specificationVersion !== 'v2') throw new Error('ai-sdk');`,
  '@multi-context/testing': `
    import { describeProviderConformance, openAIConformanceWire, startChatServer } from '@multi-context/testing';
    const server = await startChatServer({ wire: 'openai', reply: ({ prompt }) => ({ answer: ['heard ', prompt] }) });
    try {
      const response = await fetch(server.baseURL + '/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
      if (!response.headers.get('content-type').startsWith('text/event-stream')) throw new Error('not an event stream');
      const frames = (await response.text()).split('\\n\\n').filter(Boolean);
      if (frames.pop() !== 'data: [DONE]') throw new Error('no [DONE] frame');
      const chunks = frames.map((frame) => JSON.parse(frame.slice('data: '.length)));
      const text = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('');
      if (text !== 'heard hi' || chunks.at(-1).usage.prompt_tokens !== 19 || server.calls[0].prompt !== 'hi') throw new Error('testing: ' + text);
    } finally {
      await server.close();
    }
    if (typeof describeProviderConformance !== 'function' || openAIConformanceWire().answer.length !== 8) throw new Error('suite');
    // A scripted tool call, not streamed: one Messages body with a tool_use block of parsed input.
    const tools = await startChatServer({ wire: 'anthropic', reply: () => ({ toolCalls: [{ id: 'toolu_1', name: 'add', arguments: ['{"a":', '1}'] }] }) });
    try {
      const response = await fetch(tools.baseURL + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', max_tokens: 9, messages: [{ role: 'user', content: 'hi' }] }) });
      const message = await response.json();
      if (message.stop_reason !== 'tool_use' || message.content[0].input.a !== 1 || tools.calls[0].step !== 1) throw new Error('testing tool calls');
    } finally {
      await tools.close();
    }`,
  '@multi-context/providers': `
    import { checkProviderSetup, formatSetupIssue, ProviderSetupError, setUpProviders } from '@multi-context/providers';
    const phases = [{ name: 'p', executionMode: 'sequential', tasks: [{ id: 'a', contextName: 'a', prompt: 'x', dependsOn: [] }] }];
    const config = { maxContextHistory: 50, continueOnError: true };
    const typo = { name: 'w', providers: { gpt: { use: 'opnai' } }, phases, config };
    const check = await checkProviderSetup({ workflow: typo, env: {} });
    if (!formatSetupIssue(check.issues.located()[0]).startsWith('multi-context: provider "gpt": unknown provider "opnai"; did you mean "openai"?')) throw new Error('check');
    try { await setUpProviders({ workflow: typo, env: {} }); throw new Error('accepted'); }
    catch (e) { if (!ProviderSetupError.isInstance(e) || e.lines.length !== 1) throw e; }
    const setup = await setUpProviders({ workflow: { name: 'w', phases, config }, env: {} });
    if (Object.keys(setup.providers).join() !== 'mock' || setup.defaultProvider !== 'mock' || !setup.notice) throw new Error('mock');`,
  '@multi-context/journal': `
    import { mkdtempSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    import { Subject } from 'rxjs';
    import { attachJournal, readJournal, JOURNAL_FORMAT_VERSION } from '@multi-context/journal';
    const events$ = new Subject();
    const workflow = { name: 'w', phases: [{ name: 'p', executionMode: 'sequential', tasks: [{ id: 'a', contextName: 'a', prompt: 'x', dependsOn: [] }] }], config: { maxContextHistory: 50, continueOnError: true } };
    const dir = mkdtempSync(join(tmpdir(), 'mc-pack-journal-'));
    const writer = attachJournal({ runId: 'r1', workflow, events$ }, { dir });
    events$.next({ type: 'run:start', runId: 'r1', seq: 0, time: 1, workflowName: 'w', totalTasks: 1, phases: [{ name: 'p', executionMode: 'sequential', taskIds: ['a'] }] });
    events$.complete();
    await writer.done;
    const contents = await readJournal(writer.path);
    if (JOURNAL_FORMAT_VERSION !== 1 || contents.events.length !== 1 || contents.header.runId !== 'r1') throw new Error('journal');`,
  '@multi-context/bullmq': `
    // No Redis here: only that the package loads, with bullmq and ioredis, and exports its halves and errors.
    import { createBullMQExecutor, createBullMQWorker, InvalidAttemptJobError, RemoteAttemptError, ExecutorClosedError, ATTEMPT_JOB_FORMAT, ATTEMPT_JOB_VERSION, DEFAULT_QUEUE_NAME } from '@multi-context/bullmq';
    if (typeof createBullMQExecutor !== 'function' || typeof createBullMQWorker !== 'function') throw new Error('bullmq halves');
    if (!InvalidAttemptJobError.isInstance(new InvalidAttemptJobError('1', 'x')) || !RemoteAttemptError.isInstance(new RemoteAttemptError('m', 'E', 'w')) || !ExecutorClosedError.isInstance(new ExecutorClosedError())) throw new Error('bullmq errors');
    if (ATTEMPT_JOB_FORMAT !== 'multi-context.attempt' || ATTEMPT_JOB_VERSION !== 2 || DEFAULT_QUEUE_NAME !== 'multi-context-attempts') throw new Error('bullmq constants');`,
  '@multi-context/journal-redis': `
    // No Redis here: only that the package loads, with ioredis, and exports its readers, writer and errors.
    import { attachRedisJournal, readRedisJournal, listRedisJournals, replayRedisJournal, redisJournalKeys, RedisJournalWriteError, RedisJournalUnreachableError } from '@multi-context/journal-redis';
    import { JournalWriteError } from '@multi-context/journal';
    if ([attachRedisJournal, readRedisJournal, listRedisJournals, replayRedisJournal].some((f) => typeof f !== 'function')) throw new Error('journal-redis functions');
    const error = new RedisJournalWriteError({ code: 'io', path: 'redis://h:1 k', reason: 'r', writtenSeq: 3 });
    if (!JournalWriteError.isInstance(error) || !RedisJournalUnreachableError.isInstance(new RedisJournalUnreachableError('redis://h:1', 'x'))) throw new Error('journal-redis errors');
    if (redisJournalKeys('r').events !== 'multi-context:journal:{r}:events') throw new Error('journal-redis keys');`,
  '@multi-context/otel': `
    import { traceRun, traceContextOf } from '@multi-context/otel';
    import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const e = (seq, event) => ({ runId: 'r', seq, time: 1000 + seq, ...event });
    const usage = { inputTokens: 1, outputTokens: 2, totalTokens: 3 };
    const events = [
      e(0, { type: 'run:start', workflowName: 'W', totalTasks: 1, phases: [{ name: 'p', executionMode: 'parallel', taskIds: ['t'] }] }),
      e(1, { type: 'phase:start', phaseIndex: 0, phaseName: 'p' }),
      e(2, { type: 'task:start', taskId: 't', phaseIndex: 0, contextName: 'c', profile: 'x', prompt: 'hi', provider: 'openai', model: 'gpt' }),
      e(3, { type: 'task:end', taskId: 't', status: 'succeeded', response: 'yo', attempts: 1, usage, durationMs: 1 }),
      e(4, { type: 'phase:end', phaseIndex: 0, phaseName: 'p', status: 'succeeded' }),
      e(5, { type: 'run:end', status: 'succeeded', result: { usage } }),
    ];
    const source = { subscribe(o) { for (const event of events) o.next(event); o.complete(); return { unsubscribe() {} }; } };
    await traceRun(source, { tracerProvider }).ended;
    const names = exporter.getFinishedSpans().map((s) => s.name).sort().join();
    if (names !== 'chat gpt,invoke_workflow W,phase p') throw new Error('otel: ' + names);
    const span = tracerProvider.getTracer('t').startSpan('x');
    if (!/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(traceContextOf(span).traceparent)) throw new Error('traceparent');`,
  '@multi-context/web': `
    // The page is in the tarball: renderPageHtml inlines it (and its CSS) from the installed dist.
    import { renderPageHtml, foldRunView } from '@multi-context/web';
    const events = [{ type: 'run:start', runId: 'r', seq: 0, time: 1, workflowName: 'w', totalTasks: 0, phases: [] }];
    const html = renderPageHtml({ view: 'run', runId: 'r', events });
    if (!html.includes('id="mc-boot"') || !/script-src 'sha256-/.test(html) || !html.includes('mc-root') || html.length < 20000) throw new Error('web page');
    if (foldRunView(events).workflowName !== 'w') throw new Error('web view model');`,
  '@multi-context/cli': `
    import { execFileSync } from 'node:child_process';
    const out = execFileSync('npx', ['--no-install', 'multi-context', '--help'], { encoding: 'utf8' });
    if (!out.includes('run')) throw new Error('cli help');`,
};

let failed = 0;
let checked = 0;
for (const name of packages.keys()) {
  if (only.length > 0 && !only.includes(name)) continue;
  checked++;
  const project = path.join(work, name.replace('/', '__'));
  mkdirSync(project, { recursive: true });
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const needs = [...closure(name)].map((dep) => tarballs.get(dep));
  // rxjs is a peer of what the smoke script imports directly.
  const extra =
    {
      '@multi-context/provider-mock': ['rxjs'],
      // `ai` is a peer dependency: the host brings it.
      '@multi-context/provider-ai-sdk': ['ai@^6'],
      // `vitest` is a peer dependency: the suite registers its tests with the host's vitest.
      '@multi-context/testing': ['vitest@^4'],
      // The OpenTelemetry API is a peer dependency, and the SDK the host's choice.
      '@multi-context/otel': ['@opentelemetry/api@~1.9.0', '@opentelemetry/sdk-trace-base@^2.12.1'],
    }[name] ?? [];
  try {
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...needs, ...extra],
      { cwd: project, stdio: 'pipe' },
    );
    writeFileSync(
      path.join(project, 'smoke.mjs'),
      `${smoke[name] ?? `await import('${name}');`}\nconsole.log('ok');\n`,
    );
    const out = execFileSync(process.execPath, ['smoke.mjs'], { cwd: project, encoding: 'utf8' });
    if (!out.trim().endsWith('ok')) throw new Error(out);
    console.log(
      `ok    ${name} (installed alone from its tarball with ${needs.length - 1} sibling tarball(s))`,
    );
  } catch (error) {
    failed++;
    console.log(
      `FAIL  ${name}\n${error.stderr?.toString() ?? ''}${error.stdout?.toString() ?? ''}${error.message}`,
    );
  }
}
// The "From code" snippet of the top README, run as it is printed: extracted from the code block
// after its marker, with the tarballs of the packages it imports, beside the workflow it names.
const README_MARKER = '<!-- check-pack: from-code';
const snippet = readmeSnippet();
const snippetPackages = new Set(
  [...snippet.matchAll(/from '(@multi-context\/[^/']+)/g)].map(([, name]) => name),
);
if (only.length === 0 || only.some((arg) => arg === 'README.md' || snippetPackages.has(arg))) {
  checked++;
  const project = path.join(work, 'readme-from-code');
  mkdirSync(project, { recursive: true });
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'readme-host', private: true, type: 'module' }),
  );
  const needs = new Set([...snippetPackages].flatMap((name) => [...closure(name)]));
  // No key, so the environment picks the offline provider, as the README says.
  const env = { ...process.env };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MULTI_CONTEXT_MODEL'])
    delete env[name];
  try {
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...[...needs].map((name) => tarballs.get(name)),
      ],
      { cwd: project, stdio: 'pipe' },
    );
    copyFileSync(
      path.join(root, 'examples/pipeline/workflow.yaml'),
      path.join(project, 'workflow.yaml'),
    );
    writeFileSync(path.join(project, 'from-code.mjs'), snippet);
    // Its notice (which provider answers) goes to stderr, shown only with a failure.
    const out = execFileSync(process.execPath, ['from-code.mjs'], {
      cwd: project,
      encoding: 'utf8',
      env,
      stdio: 'pipe',
    });
    const last = out.trim().split('\n').at(-1);
    const [, done, total] = /^succeeded (\d+)\/(\d+)$/.exec(last) ?? [];
    if (done === undefined || done !== total) throw new Error(`the run did not succeed:\n${out}`);
    console.log(`ok    README.md "From code" (${last}, with ${needs.size} tarball(s))`);
  } catch (error) {
    failed++;
    console.log(
      `FAIL  README.md "From code"\n${error.stderr?.toString() ?? ''}${error.stdout?.toString() ?? ''}${error.message}`,
    );
  }
}

rmSync(work, { recursive: true, force: true });
console.log(`packs: ${checked - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

/** The code block after the README's marker line. */
function readmeSnippet() {
  const lines = readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');
  const marker = lines.findIndex((line) => line.startsWith(README_MARKER));
  const open = lines.findIndex((line, index) => index > marker && line.startsWith('```'));
  const close = lines.findIndex((line, index) => index > open && line.startsWith('```'));
  if (marker === -1 || open !== marker + 1 || close === -1) {
    throw new Error(`README.md: no code block right after "${README_MARKER}"`);
  }
  return `${lines.slice(open + 1, close).join('\n')}\n`;
}
