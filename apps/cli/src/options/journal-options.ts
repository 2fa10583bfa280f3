import { readdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  defaultJournalDir,
  findJournal,
  type JournalContents,
  JournalReadError,
  readJournal,
} from '@multi-context/journal';
import type { CliIo } from '../cli-io.js';
import { CommandFailure } from '../commands/command-failure.js';
import { ExitCode } from './exit-codes.js';

/** `--journal-dir`, as every command that reads or writes journals takes it. */
export interface JournalDirOptions {
  /** The journal folder, relative to the working directory; default `.multi-context/runs`. */
  journalDir?: string;
}

/** The journal folder the options name, as an absolute path. */
export function journalDirOf(options: JournalDirOptions, io: CliIo): string {
  return options.journalDir === undefined
    ? defaultJournalDir(io.cwd)
    : resolve(io.cwd, options.journalDir);
}

/**
 * A path as messages show it: relative to the working directory when it is
 * under it. A journal in Redis (`redis://host:port key`) is shown as it is.
 */
export function displayPath(path: string, io: CliIo): string {
  if (/^rediss?:\/\//.test(path)) return path;
  const inside = relative(io.cwd, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/**
 * Runs a journal command's body and turns the failures it expects into their
 * exit code and one line on stderr: a {@link CommandFailure}, and a journal
 * that cannot be read (exit 2, with the reader's message, which names the
 * file and line). Anything else is left to `main()`.
 */
export async function journalCommand(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (CommandFailure.isInstance(error)) {
      io.stderr.write(`multi-context: ${error.message}\n`);
      return error.exitCode;
    }
    if (JournalReadError.isInstance(error)) {
      io.stderr.write(`multi-context: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}

/** Where a run's journal is, and the run id it was found under. */
export interface FoundRun {
  runId: string;
  path: string;
}

/**
 * Finds the journal of run `runId` in `dir`: the run of that id, or else the
 * only run whose id starts with it (ids are long; a prefix is enough).
 *
 * @throws {CommandFailure} When there is no such run, or the prefix is ambiguous.
 */
export async function findRun(runId: string, dir: string, io: CliIo): Promise<FoundRun> {
  const exact = await findJournal(runId, { dir });
  if (exact !== undefined) return { runId, path: exact };
  const matches: FoundRun[] = [];
  if (runId !== '') {
    for (const name of await runFolders(dir)) {
      if (!name.startsWith(runId)) continue;
      const path = await findJournal(name, { dir });
      if (path !== undefined) matches.push({ runId: name, path });
    }
  }
  if (matches.length === 1) return matches[0]!;
  const where = displayPath(dir, io);
  if (matches.length > 1) {
    throw new CommandFailure(
      `"${runId}" names ${matches.length} runs in ${where} (${matches
        .map((match) => match.runId)
        .sort()
        .join(', ')}); give more of the id.`,
    );
  }
  throw new CommandFailure(
    `no run "${runId}" in ${where}; 'multi-context runs${dir === defaultJournalDir(io.cwd) ? '' : ` --journal-dir ${where}`}' lists the runs there.`,
  );
}

async function runFolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Finds and reads run `runId`'s journal.
 *
 * @throws {CommandFailure} When there is no such run.
 * @throws {JournalReadError} When its journal is damaged.
 */
export async function readRun(
  runId: string,
  options: JournalDirOptions,
  io: CliIo,
): Promise<JournalContents> {
  const { path } = await findRun(runId, journalDirOf(options, io), io);
  return readJournal(path);
}
