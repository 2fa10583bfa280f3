import { type ProfilesDocument, validateProfilesDocument } from '@multi-context/workflow';
import { type DocumentKind, parseDocument } from './parse-document.js';

/** Options of {@link parseProfiles}. */
export interface ParseProfilesOptions {
  /** The file name to put on issues (`profiles.yaml:3:5: ...`); `<input>` when left out. */
  source?: string;
}

/** Profiles files: validated by `validateProfilesDocument`. */
export const PROFILES_FILE: DocumentKind<ProfilesDocument> = {
  fileName: 'profiles file',
  name: 'profiles file',
  expected: 'a profiles file: a mapping with "providers" and/or "profiles"',
  validate(value) {
    const result = validateProfilesDocument(value);
    return result.success ? { success: true, value: result.profiles } : result;
  },
};

/**
 * Parses the text of a profiles file (YAML, or JSON): `providers:` and
 * `profiles:` (and `x-` keys, which are ignored) into a camelCase
 * {@link ProfilesDocument}.
 *
 * @throws {WorkflowLoadError} With every issue found, each at its line and
 *   column, when the text is not a valid profiles file. Nothing else is
 *   thrown, whatever the text.
 *
 * @example
 * const { profiles } = parseProfiles(
 *   'providers:\n  local: { use: openai, base_url: "http://localhost:11434/v1" }\nprofiles:\n  fast: { provider: local, model: llama3.2, timeout: 30s }\n',
 *   { source: 'profiles.yaml' },
 * );
 * profiles?.fast?.timeoutMs; // 30000
 */
export function parseProfiles(text: string, options: ParseProfilesOptions = {}): ProfilesDocument {
  return parseDocument(text, options.source, PROFILES_FILE);
}
