import type { ProviderSpec } from '@multi-context/workflow';
import type { Entry } from './provider-sections.js';
import type { SettingPath, SettingPlace } from './provider-setup-error.js';
import type { ProviderUse } from './provider-use.js';
import type { SetupIssues } from './setup-issues.js';

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
 * undefined for the provider picked from the environment, which no file names.
 */
export function placeOf(
  entry: Entry<unknown>,
  section: 'providers' | 'profiles',
  path: SettingPath = [],
  target: 'key' | 'value' = 'value',
): SettingPlace | undefined {
  return entry.origin === undefined
    ? undefined
    : { origin: entry.origin, path: [section, entry.name, ...path], target };
}

/** The error's message, for a one-line report. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
