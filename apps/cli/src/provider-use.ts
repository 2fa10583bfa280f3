import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import {
  BUILTIN_PROVIDERS,
  type BuiltinProvider,
  CODE_ONLY_PROVIDERS,
} from './builtin-providers.js';
import { closestName } from './closest-name.js';

/** What a provider's `use:` names. */
export type ProviderUse =
  | { kind: 'builtin'; name: string; builtin: BuiltinProvider }
  /** A module file or an installed package, as a URL ready for `import()`. */
  | { kind: 'module'; specifier: string; url: string }
  | { kind: 'invalid'; message: string };

/**
 * Finds what `use` names, without loading anything: a built-in provider, a
 * module path (relative to `fromFile`, the file that names it) or a package
 * installed where that file is. Anything else is `invalid`, with a message
 * that says why and what was probably meant. A module is only looked for
 * here, never imported (`validate` stops at this): importing runs its code.
 */
export function resolveProviderUse(use: string, fromFile: string): ProviderUse {
  const builtin = Object.hasOwn(BUILTIN_PROVIDERS, use) ? BUILTIN_PROVIDERS[use] : undefined;
  if (builtin !== undefined) return { kind: 'builtin', name: use, builtin };
  if (Object.hasOwn(CODE_ONLY_PROVIDERS, use)) {
    return {
      kind: 'invalid',
      message: `"${use}" cannot be used from a file: ${CODE_ONLY_PROVIDERS[use]}`,
    };
  }
  const isPath = /^(\.{1,2}[/\\]|\/|[A-Za-z]:[/\\]|file:)/.test(use);
  try {
    const url = resolveModule(use, pathToFileURL(fromFile).href);
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
    return { kind: 'invalid', message: unknownProviderMessage(use, fromFile) };
  }
}

function unknownProviderMessage(use: string, fromFile: string): string {
  const builtins = Object.keys(BUILTIN_PROVIDERS);
  const known = `built-in providers: ${builtins.join(', ')}`;
  const suggestion = closestName(use, [...builtins, ...Object.keys(CODE_ONLY_PROVIDERS)]);
  if (suggestion !== undefined)
    return `unknown provider "${use}"; did you mean "${suggestion}"? (${known})`;
  const local = join(dirname(fromFile), use);
  if (existsSync(local)) {
    return `unknown provider "${use}"; did you mean the file "./${use}"? (a module path starts with ./ or ../)`;
  }
  return (
    `unknown provider "${use}": it is not a built-in provider (${builtins.join(', ')}) ` +
    `and no package of that name is installed where ${fromFile} is`
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
