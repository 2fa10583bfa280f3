import { describe, expect, it } from 'vitest';
import { defineWorkflow, validateProfilesDocument, WorkflowValidationError } from './index.js';
import { issuesOf, minimalDocument, workflowOf } from './test-documents.js';

describe('mcp_servers and MCP tools in profiles', () => {
  it('reads stdio and HTTP servers, and profile tool entries, into camelCase specs', () => {
    const workflow = workflowOf({
      ...minimalDocument(),
      mcp_servers: {
        library: {
          command: 'node',
          args: ['tools/library.mjs', '--quiet'],
          cwd: 'tools',
          env: { LOG_LEVEL: 'warn', LIBRARY_KEY: { from_env: 'MY_LIBRARY_KEY' } },
          timeout: '20s',
          startup_timeout: '5s',
        },
        web: {
          url: 'http://127.0.0.1:8931/mcp',
          headers: {
            'X-Team': 'docs',
            Authorization: { from_env: 'WEB_TOKEN', prefix: 'Bearer ' },
          },
        },
      },
      profiles: {
        researcher: {
          tools: ['calculator', { mcp: 'library' }, { mcp: 'web', allow: ['fetch_page'] }],
        },
      },
    });
    expect(workflow.mcpServers).toStrictEqual({
      library: {
        command: 'node',
        args: ['tools/library.mjs', '--quiet'],
        cwd: 'tools',
        env: { LOG_LEVEL: 'warn', LIBRARY_KEY: { fromEnv: 'MY_LIBRARY_KEY' } },
        timeoutMs: 20_000,
        startupTimeoutMs: 5_000,
      },
      web: {
        url: 'http://127.0.0.1:8931/mcp',
        headers: { 'X-Team': 'docs', Authorization: { fromEnv: 'WEB_TOKEN', prefix: 'Bearer ' } },
      },
    });
    expect(workflow.profiles?.researcher?.tools).toStrictEqual([
      'calculator',
      { mcp: 'library' },
      { mcp: 'web', allow: ['fetch_page'] },
    ]);
  });

  it('says where a server is neither stdio nor HTTP, or both, or mixes their settings', () => {
    const raw = {
      ...minimalDocument(),
      mcp_servers: {
        none: { args: ['x'] },
        both: { command: 'node', url: 'http://127.0.0.1:1/mcp' },
        stdio: { command: 'node', headers: { A: 'b' } },
        http: { url: 'http://127.0.0.1:1/mcp', env: { A: 'b' } },
        bad: { url: 'ftp://x', timeout: 20 },
      },
    };
    expect(issuesOf(raw)).toEqual([
      ['mcp_servers.bad.url', expect.stringContaining('an http:// or https:// URL')],
      ['mcp_servers.bad.timeout', expect.stringContaining('a duration with a unit')],
      [
        'mcp_servers.none',
        'needs command (a server started over stdio) or url (a server reached over Streamable HTTP)',
      ],
      ['mcp_servers.both', expect.stringContaining('has both command and url')],
      [
        'mcp_servers.stdio.headers',
        'headers is for a server reached at url; this one is started with command',
      ],
      [
        'mcp_servers.http.env',
        'env is for a server started with command; this one is reached at url',
      ],
    ]);
  });

  it('checks that profiles name servers of the same document, and never shows a secret', () => {
    const raw = {
      ...minimalDocument(),
      mcp_servers: { library: { command: 'node', env: { KEY: { from_env: 'sk-SECRET-VALUE' } } } },
      profiles: {
        a: { tools: [{ mcp: 'librari' }, { mcp: 'web' }, { mcp: 'library', allow: 'all' }] },
      },
    };
    const issues = issuesOf(raw);
    expect(issues).toEqual([
      ['profiles.a.tools.2.allow', 'allow must be a list of tool names, got "all" (a string)'],
      [
        'mcp_servers.library.env.KEY.from_env',
        expect.stringContaining('got a string (not shown: it may be a secret)'),
      ],
      ['profiles.a.tools.0.mcp', 'unknown MCP server "librari"; did you mean "library"?'],
      ['profiles.a.tools.1.mcp', 'unknown MCP server "web" (defined: "library")'],
    ]);
    expect(JSON.stringify(issues)).not.toContain('SECRET');
  });

  it('checks the same rules in a profiles file and in code', () => {
    const file = validateProfilesDocument({
      mcp_servers: { web: { url: 'http://127.0.0.1:1/mcp' } },
      profiles: { a: { tools: [{ mcp: 'wbe' }] } },
    });
    expect(file.success).toBe(false);
    expect(file.success === false && file.issues.map((issue) => issue.message)).toEqual([
      'unknown MCP server "wbe"; did you mean "web"?',
    ]);
    const ok = validateProfilesDocument({
      mcp_servers: { web: { url: 'http://127.0.0.1:1/mcp' } },
    });
    expect(ok.success && ok.profiles.mcpServers).toEqual({
      web: { url: 'http://127.0.0.1:1/mcp' },
    });

    const input = {
      name: 'w',
      mcpServers: { web: { url: 'http://127.0.0.1:1/mcp', cwd: 'x' } },
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'hi' }] }],
    };
    expect(() => defineWorkflow(input)).toThrow(WorkflowValidationError);
    expect(() => defineWorkflow(input)).toThrow('cwd is for a server started with command');
  });
});
