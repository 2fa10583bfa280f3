import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import { afterAll, describe, expect, it } from 'vitest';

// The built package, as a host imports it: what it loads is what its dist/ imports.
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const WORKFLOW_URL = resolveModule('@multi-context/workflow', import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'builtin-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  if (!/^(\\.|\\/|node:|file:|data:)/.test(specifier)) appendFileSync(process.env.LOAD_LOG, specifier + '\\n');
  return nextResolve(specifier, context);
}
`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
);

let runs = 0;

/** The packages a host process imports when it runs `body` with the package as `providers`. */
function packagesLoadedBy(body: string): Set<string> {
  if (!existsSync(DIST))
    throw new Error(`${DIST} is missing: build the package first (turbo's test task does)`);
  const log = join(dir, `loaded-${++runs}.txt`);
  const script = join(dir, `host-${runs}.mjs`);
  writeFileSync(
    script,
    [
      `import * as providers from ${JSON.stringify(pathToFileURL(DIST).href)};`,
      `import { defineWorkflow } from ${JSON.stringify(WORKFLOW_URL)};`,
      body,
      '',
    ].join('\n'),
  );
  execFileSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, script],
    { env: { ...process.env, LOAD_LOG: log }, stdio: 'pipe' },
  );
  return new Set(existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
}

const SDKS = ['openai', '@anthropic-ai/sdk'];

describe('what the built-in providers load', () => {
  it('a check of params loads the providers’ light params entries, and no SDK nor provider package', () => {
    const loaded = packagesLoadedBy(`
      const workflow = defineWorkflow({
        name: 'w',
        providers: { gpt: { use: 'openai', defaultModel: 'm' }, claude: { use: 'anthropic', defaultModel: 'm' } },
        profiles: { a: { provider: 'gpt', temperature: 0.2 }, b: { provider: 'claude', maxTokens: 10 } },
        phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x', profile: 'a' }] }],
      });
      const check = await providers.checkProviderSetup({ workflow, env: {}, scope: 'strict' });
      if (check.issues.count !== 1) throw new Error(check.issues.located().map(providers.formatSetupIssue).join('\\n'));`);
    expect(loaded).toContain('@multi-context/provider-openai/params');
    expect(loaded).toContain('@multi-context/provider-anthropic/params');
    for (const name of [
      ...SDKS,
      '@multi-context/provider-openai',
      '@multi-context/provider-anthropic',
      '@multi-context/provider-mock',
      '@multi-context/provider',
      'rxjs',
    ]) {
      expect(loaded, name).not.toContain(name);
    }
  });

  it('a run on the offline provider loads that provider and no SDK', () => {
    const loaded = packagesLoadedBy(`
      const workflow = defineWorkflow({ name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x' }] }] });
      const setup = await providers.setUpProviders({ workflow, env: {} });
      if (Object.keys(setup.providers).join() !== 'mock') throw new Error('not the mock');`);
    expect(loaded).toContain('@multi-context/provider-mock');
    for (const name of [
      ...SDKS,
      '@multi-context/provider-openai',
      '@multi-context/provider-anthropic',
    ]) {
      expect(loaded, name).not.toContain(name);
    }
  });

  it('a run on OpenAI loads its package and SDK, and not Anthropic’s', () => {
    const loaded = packagesLoadedBy(`
      const workflow = defineWorkflow({ name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x' }] }] });
      const setup = await providers.setUpProviders({ workflow, env: { OPENAI_API_KEY: 'sk-test' } });
      if (Object.keys(setup.providers).join() !== 'openai') throw new Error('not openai');`);
    expect(loaded).toContain('@multi-context/provider-openai');
    expect(loaded).toContain('openai');
    expect(loaded).not.toContain('@multi-context/provider-anthropic');
    expect(loaded).not.toContain('@anthropic-ai/sdk');
  });
});
