import type { ProfilesDocument } from '@multi-context/workflow';
import { parseDocument } from './parse-document.js';
import { PROFILES_FILE } from './parse-profiles.js';
import { readDocumentFile } from './read-document-file.js';

/**
 * Reads a profiles file (UTF-8 YAML or JSON) and returns its validated
 * providers and profiles.
 *
 * @param path A file path, or a `file:` URL.
 * @throws {WorkflowLoadError} When the file is missing, is a directory, cannot
 *   be read, is not UTF-8, or is not a valid profiles file; every issue names
 *   the file, line and column. Nothing else is thrown.
 *
 * @example
 * const { providers, profiles } = await loadProfiles('profiles.yaml');
 */
export async function loadProfiles(path: string | URL): Promise<ProfilesDocument> {
  const { source, text } = await readDocumentFile(path, PROFILES_FILE.fileName);
  return parseDocument(text, source, PROFILES_FILE);
}
