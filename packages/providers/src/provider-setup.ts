import type { ProviderSpec } from '@multi-context/workflow';
import type { DocumentOrigin } from './document-origin.js';
import type { SettingPath } from './issue-locator.js';
import type { Entry } from './provider-sections.js';
import type { ProviderUse } from './provider-use.js';
import type { SettingPlace, SetupIssues } from './setup-issues.js';

/** What the steps of a provider setup share: the providers, what each `use:` names, and the problems found. */
export interface ProviderSetup {
  providers: ReadonlyMap<string, Entry<ProviderSpec>>;
  uses: ReadonlyMap<string, ProviderUse>;
  /** The provider of profiles that name none: the only provider, when there is one. */
  defaultProvider: string | undefined;
  issues: SetupIssues;
}

/**
 * Where a setting of a provider or profile entry is written, for an issue;
 * undefined for an entry no file holds (the provider picked from the
 * environment, or one of a document given in code).
 */
export function placeOf(
  entry: Entry<unknown>,
  section: 'providers' | 'profiles',
  path: SettingPath = [],
  target: 'key' | 'value' = 'value',
): SettingPlace | undefined {
  return placeIn(entry.origin, [section, entry.name, ...path], target);
}

/** The place of `path` in the file `origin`; undefined when there is no file. */
export function placeIn(
  origin: DocumentOrigin | undefined,
  path: SettingPath,
  target: 'key' | 'value' = 'value',
): SettingPlace | undefined {
  return origin === undefined ? undefined : { origin, path, target };
}

/** The error's message, for a one-line report. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
