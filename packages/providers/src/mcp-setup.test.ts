import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfiles, loadWorkflow, locateIssues } from '@multi-context/loader';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderSetupError } from './provider-setup-error.js';
import { setUpProviders } from './set-up-providers.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const workflowText = (profile: string) => `name: W
providers:
  mock: { use: mock }
mcp_servers:
  library:
    command: node
    args: [library.mjs]
    env:
      LIBRARY_KEY: { from_env: LIBRARY_KEY }
  web:
    url: http://127.0.0.1:1/mcp
profiles:
  researcher:
    tools:
      - mcp: library
        allow: [lookup]
      - calculator
  writer: {}
  unused:
    tools: [{ mcp: web }]
phases:
  - name: p
    tasks:
      - { context_name: a, prompt: hi, profile: ${profile} }
      - { context_name: b, prompt: hi, profile: writer }
`;

describe('MCP servers in the provider setup', () => {
  it('gives the host the servers and the MCP tools of the profiles the run uses', async () => {
    const file = write('ok.yaml', workflowText('researcher'));
    const setup = await setUpProviders({
      workflow: await loadWorkflow(file),
      workflowFile: file,
      env: { LIBRARY_KEY: 'lib-key-1234' },
    });
    expect(setup.mcp.profiles).toEqual({
      researcher: [{ mcp: 'library', allow: ['lookup'] }, 'calculator'],
    });
    expect(setup.mcp.servers.library).toEqual({
      spec: {
        command: 'node',
        args: ['library.mjs'],
        env: { LIBRARY_KEY: { fromEnv: 'LIBRARY_KEY' } },
      },
      baseDir: dir,
    });
    // The orchestrator's profile keeps the tools given in code; the host adds the servers'.
    expect(setup.profiles.researcher?.tools).toEqual(['calculator']);
  });

  it('says where a profile names an unknown server, and which variable a used server lacks', async () => {
    const file = write('bad.yaml', workflowText('researcher'));
    const profilesFile = write(
      'profiles.yaml',
      'profiles:\n  writer:\n    tools:\n      - mcp: librari\n',
    );
    const error = await setUpProviders({
      workflow: await loadWorkflow(file),
      workflowFile: file,
      profiles: await loadProfiles(profilesFile),
      profilesFile,
      locate: locateIssues,
      env: {},
    }).catch((caught: unknown) => caught);
    expect(ProviderSetupError.isInstance(error)).toBe(true);
    const text = (error as Error).message;
    expect(text).toContain(
      `${profilesFile}:4:14: profile "writer": unknown MCP server "librari"; did you mean "library"?`,
    );
    expect(text).toContain(
      `${file}:9:32: MCP server "library": the environment variable LIBRARY_KEY is not set (env.LIBRARY_KEY takes it)`,
    );
    // "unused" names web, which needs nothing: no issue about it.
    expect(text).not.toContain('"web"');
  });
});
