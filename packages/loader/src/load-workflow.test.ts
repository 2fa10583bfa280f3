import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadWorkflow } from './index.js';
import { fixtures, loadError } from './test-helpers.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const directory = mkdtempSync(join(tmpdir(), 'multi-context-loader-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const isRoot = process.getuid?.() === 0;

describe('loadWorkflow', () => {
  it('loads both fixtures from a URL or a path', async () => {
    const example = await loadWorkflow(fixtures.example);
    expect(example.phases.flatMap((phase) => phase.tasks)).toHaveLength(9);
    const seed = await loadWorkflow(fileURLToPath(fixtures.seedReadme));
    expect(seed.phases.flatMap((phase) => phase.tasks)).toHaveLength(6);
  });

  it('puts the file path on every issue and keeps the text for the code frame', async () => {
    const path = file('typo.yaml', 'name: Demo\nphase: []\n');
    const error = await loadError(() => loadWorkflow(path));
    expect(error.source).toBe(path);
    expect(
      error.issues.map((issue) => [issue.source, issue.line, issue.column, issue.message]),
    ).toEqual([
      [path, 1, 1, 'missing required key "phases" in workflow'],
      [path, 2, 1, 'unknown key "phase" in workflow; did you mean "phases"?'],
    ]);
    expect(error.format()).toContain(
      `${path}:2:1: unknown key "phase" in workflow; did you mean "phases"?\n    2 | phase: []\n      | ^`,
    );
  });

  it('reports a missing file at line 1, column 1 of the path', async () => {
    const path = join(directory, 'absent.yaml');
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues).toEqual([
      {
        message: 'file not found',
        path: [],
        line: 1,
        column: 1,
        source: path,
        code: 'file_not_found',
      },
    ]);
    expect(error.message).toBe(`${path}:1:1: file not found`);
  });

  it('reports a directory at line 1, column 1 of the path', async () => {
    const path = join(directory, 'a-directory.yaml');
    mkdirSync(path);
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues).toEqual([
      {
        message: 'this is a directory, not a workflow file',
        path: [],
        line: 1,
        column: 1,
        source: path,
        code: 'not_a_file',
      },
    ]);
  });

  it('reports an unreadable file at line 1, column 1 of the path', async () => {
    const path = file('secret.yaml', 'name: Demo\n');
    vi.mocked(readFile).mockRejectedValueOnce(
      Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' }),
    );
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues).toEqual([
      {
        message: 'the file cannot be read: permission denied (EACCES)',
        path: [],
        line: 1,
        column: 1,
        source: path,
        code: 'unreadable',
      },
    ]);
    expect(error.cause).toMatchObject({ code: 'EACCES' });
  });

  it.skipIf(isRoot)('reports a file without read permission (as a normal user)', async () => {
    const path = file('locked.yaml', 'name: Demo\n');
    chmodSync(path, 0o000);
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues[0]).toMatchObject({ line: 1, column: 1, code: 'unreadable' });
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO instead of blocking on it', async () => {
    const path = join(directory, 'pipe.yaml');
    execFileSync('mkfifo', [path]);
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues[0]).toMatchObject({
      line: 1,
      column: 1,
      code: 'not_a_file',
      message: 'this is not a regular file',
    });
  });

  it('reports bytes that are not UTF-8 at their line and column', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name: Demo\nphases: '),
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from('\n'),
    ]);
    const path = file('latin.yaml', bytes);
    const error = await loadError(() => loadWorkflow(path));
    expect(error.issues).toEqual([
      {
        message: 'the file is not UTF-8 text (this byte cannot be decoded); save it as UTF-8',
        path: [],
        line: 2,
        column: 9,
        source: path,
        code: 'invalid_encoding',
      },
    ]);
  });

  it('does not crash on a binary file', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    ]);
    const error = await loadError(() => loadWorkflow(file('image.yaml', png)));
    expect(error.issues[0]).toMatchObject({ line: 1, column: 1, code: 'invalid_encoding' });
    const zeros = await loadError(() => loadWorkflow(file('zeros.yaml', new Uint8Array(64))));
    expect(zeros.issues.length).toBeGreaterThan(0);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const text =
      '\ufeffname: Demo\nphases:\n  - name: One\n    tasks: [{context_name: c, prompt: p}]\n';
    expect((await loadWorkflow(file('bom.yaml', text))).name).toBe('Demo');
  });

  it('rejects a URL that is not a file URL', async () => {
    const error = await loadError(() => loadWorkflow(new URL('https://example.com/w.yaml')));
    expect(error.issues[0]).toMatchObject({ line: 1, column: 1, code: 'invalid_input' });
  });
});
