import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeUtf8 } from './decode-utf8.js';
import { fileIssue } from './load-issue.js';
import { WorkflowLoadError } from './workflow-load-error.js';

/**
 * Reads a UTF-8 text file for a loader.
 *
 * @param fileName What the file should be, for messages: `workflow file`.
 * @throws {WorkflowLoadError} When the file is missing, is a directory or
 *   another non-regular file, cannot be read, or is not UTF-8.
 */
export async function readDocumentFile(
  path: string | URL,
  fileName: string,
): Promise<{ source: string; text: string }> {
  const source = sourceOf(path);
  const decoded = decodeUtf8(await readBytes(source, fileName));
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
  return { source, text: decoded.text };
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

async function readBytes(source: string, fileName: string): Promise<Uint8Array> {
  const fail = (code: string, message: string, cause?: unknown): never => {
    throw new WorkflowLoadError([fileIssue(code, message, source)], { source, cause });
  };
  try {
    // Refuse what is not a regular file up front: reading a FIFO or a device could block forever.
    const stats = await stat(source);
    if (stats.isDirectory()) fail('not_a_file', `this is a directory, not a ${fileName}`);
    if (!stats.isFile()) fail('not_a_file', 'this is not a regular file');
    return await readFile(source);
  } catch (error) {
    if (WorkflowLoadError.isInstance(error)) throw error;
    return fail(...describeReadError(error, fileName), error);
  }
}

function describeReadError(error: unknown, fileName: string): [code: string, message: string] {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return ['file_not_found', 'file not found'];
    case 'EISDIR':
      return ['not_a_file', `this is a directory, not a ${fileName}`];
    case 'EACCES':
    case 'EPERM':
      return ['unreadable', `the file cannot be read: permission denied (${code})`];
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return ['unreadable', `the file cannot be read: ${reason}`];
    }
  }
}
