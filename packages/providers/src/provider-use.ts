import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProviderFactory } from '@multi-context/provider';
import { didYouMean } from '@multi-context/workflow';
import { resolve as resolveModule } from 'import-meta-resolve';
import {
  BUILTIN_PROVIDERS,
  type BuiltinProvider,
  CODE_ONLY_PROVIDERS,
} from './builtin-providers.js';

/** What a provider's `use:` names. */
export type ProviderUse =
  | { kind: 'builtin'; name: string; builtin: BuiltinProvider }
  /** A factory the host registered under this name, in code. */
  | { kind: 'host'; name: string; factory: ProviderFactory }
  /** A module file or an installed package, as a URL ready for `import()`. */
  | { kind: 'module'; specifier: string; url: string }
  | { kind: 'invalid'; message: string };

/**
 * Finds what `use` names, without loading anything: a factory the host
 * registered, a built-in provider, a module path (relative to `fromFile`, the
 * file that names it; to the working directory for a workflow given in code)
 * or a package installed where that file is. Anything else is `invalid`,
 * with a message that says why and what was probably meant. A module is only
 * looked for here, never imported (a check stops at this): importing runs its
 * code.
 */
export function resolveProviderUse(
  use: string,
  fromFile: string | undefined,
  factories: Readonly<Record<string, ProviderFactory>> = {},
): ProviderUse {
  // The host's names win: a host may make `openai` its own way (a proxy, a test double).
  if (Object.hasOwn(factories, use)) return { kind: 'host', name: use, factory: factories[use]! };
  const builtin = Object.hasOwn(BUILTIN_PROVIDERS, use) ? BUILTIN_PROVIDERS[use] : undefined;
  if (builtin !== undefined) return { kind: 'builtin', name: use, builtin };
  if (Object.hasOwn(CODE_ONLY_PROVIDERS, use)) {
    return {
      kind: 'invalid',
      message: `"${use}" cannot be used from a file: ${CODE_ONLY_PROVIDERS[use]}`,
    };
  }
  const isPath = /^(\.{1,2}[/\\]|\/|[A-Za-z]:[/\\]|file:)/.test(use);
  // Without a file, paths resolve from the working directory: a URL of a folder ends in a slash.
  const parent =
    fromFile === undefined ? pathToFileURL(`${process.cwd()}/`).href : pathToFileURL(fromFile).href;
  try {
    const url = resolveModule(use, parent);
    // The resolver maps a path to a URL whether or not a file is there.
    if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
      return {
        kind: 'invalid',
        message: `cannot load "${use}": there is no file ${fileURLToPath(url)}`,
      };
    }
    return { kind: 'module', specifier: use, url };
  } catch (error) {
    if (isPath) {
      return { kind: 'invalid', message: `cannot load "${use}": ${firstLine(error)}` };
    }
    return { kind: 'invalid', message: unknownProviderMessage(use, fromFile, factories) };
  }
}

function unknownProviderMessage(
  use: string,
  fromFile: string | undefined,
  factories: Readonly<Record<string, ProviderFactory>>,
): string {
  const names = [...Object.keys(factories), ...Object.keys(BUILTIN_PROVIDERS)];
  const known = `built-in providers: ${names.join(', ')}`;
  const suggestion = didYouMean(use, [...names, ...Object.keys(CODE_ONLY_PROVIDERS)]);
  if (suggestion !== undefined)
    return `unknown provider "${use}"; did you mean "${suggestion}"? (${known})`;
  const local = join(fromFile === undefined ? process.cwd() : dirname(fromFile), use);
  if (existsSync(local)) {
    return `unknown provider "${use}"; did you mean the file "./${use}"? (a module path starts with ./ or ../)`;
  }
  return (
    `unknown provider "${use}": it is not a built-in provider (${names.join(', ')}) ` +
    `and no package of that name is installed where ${fromFile ?? 'the working directory'} is`
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
