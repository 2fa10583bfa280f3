import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Workflow } from '@multi-context/workflow';
import { decodeUtf8 } from './decode-utf8.js';
import { fileIssue } from './load-issue.js';
import { parseWorkflow } from './parse-workflow.js';
import { WorkflowLoadError } from './workflow-load-error.js';

/**
 * Reads a workflow file (UTF-8 YAML or JSON) and returns the validated
 * {@link Workflow}.
 *
 * @param path A file path, or a `file:` URL.
 * @throws {WorkflowLoadError} When the file is missing, is a directory, cannot
 *   be read, is not UTF-8, or is not a valid workflow; every issue names the
 *   file, line and column. Nothing else is thrown.
 *
 * @example
 * try {
 *   const workflow = await loadWorkflow('workflow.yaml');
 * } catch (error) {
 *   if (WorkflowLoadError.isInstance(error)) console.error(error.format());
 * }
 */
export async function loadWorkflow(path: string | URL): Promise<Workflow> {
  const source = sourceOf(path);
  const decoded = decodeUtf8(await readBytes(source));
  if (!decoded.ok) {
    throw new WorkflowLoadError(
      [
        {
          message: 'the file is not UTF-8 text (this byte cannot be decoded); save it as UTF-8',
          path: [],
          line: decoded.line,
          column: decoded.column,
          source,
          code: 'invalid_encoding',
        },
      ],
      { source, text: decoded.text },
    );
  }
  return parseWorkflow(decoded.text, { source });
}

function sourceOf(path: string | URL): string {
  if (typeof path === 'string') return path;
  try {
    return fileURLToPath(path);
  } catch (error) {
    throw new WorkflowLoadError(
      [fileIssue('invalid_input', `not a file path: ${String(path)}`, undefined)],
      {
        cause: error,
      },
    );
  }
}

async function readBytes(source: string): Promise<Uint8Array> {
  const fail = (code: string, message: string, cause?: unknown): never => {
    throw new WorkflowLoadError([fileIssue(code, message, source)], { source, cause });
  };
  try {
    // Refuse what is not a regular file up front: reading a FIFO or a device could block forever.
    const stats = await stat(source);
    if (stats.isDirectory()) fail('not_a_file', 'this is a directory, not a workflow file');
    if (!stats.isFile()) fail('not_a_file', 'this is not a regular file');
    return await readFile(source);
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) throw error;
    return fail(...describeReadError(error), error);
  }
}

function describeReadError(error: unknown): [code: string, message: string] {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return ['file_not_found', 'file not found'];
    case 'EISDIR':
      return ['not_a_file', 'this is a directory, not a workflow file'];
    case 'EACCES':
    case 'EPERM':
      return ['unreadable', `the file cannot be read: permission denied (${code})`];
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return ['unreadable', `the file cannot be read: ${reason}`];
    }
  }
}
