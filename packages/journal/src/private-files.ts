import { chmod, type FileHandle, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The mode of every folder a journal makes: only its owner may list or enter
 * it. A journal holds every prompt and answer of a run, so it is kept as a
 * shell keeps its history.
 */
export const PRIVATE_DIR_MODE = 0o700;

/** The mode of a journal file: only its owner may read or write it. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `runDir` and every missing folder above it, each `0700`, and sets
 * `0700` on `runDir` when it was there already (a run folder of an older
 * version, or a resume's). Folders above it that existed keep their mode:
 * they may be the user's own (`--journal-dir /tmp`), and the run folder
 * already keeps others out of the journal.
 *
 * The modes are set explicitly: the mode `mkdir` takes is masked by the
 * process's umask, which may leave group and world bits, or take owner bits.
 */
export async function makePrivateRunDir(runDir: string): Promise<void> {
  const first = await mkdir(runDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const made = first === undefined ? [] : foldersBetween(path.resolve(first), path.resolve(runDir));
  if (made.length === 0) made.push(runDir);
  for (const folder of made) await chmod(folder, PRIVATE_DIR_MODE);
}

/**
 * Sets `0600` on an open journal file, whatever the umask was when it was
 * created, or whatever mode it had (a journal of an older version being
 * appended to).
 */
export async function makePrivateFile(handle: FileHandle): Promise<void> {
  // Windows has no owner/group/world bits to take away.
  if (process.platform === 'win32') return;
  await handle.chmod(PRIVATE_FILE_MODE);
}

/** `top`, then each folder below it down to `bottom` (which is `top` or inside it). */
function foldersBetween(top: string, bottom: string): string[] {
  const folders: string[] = [];
  for (let folder = bottom; ; folder = path.dirname(folder)) {
    folders.unshift(folder);
    if (folder === top || path.dirname(folder) === folder) break;
  }
  return folders;
}
