import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

/**
 * The options every document is composed with, by the `Composer` and by
 * `simpleYamlValue` alike, so that both resolve scalars the same way.
 * Duplicate keys and tags are checked by the loader itself, with messages
 * of its own.
 */
export const YAML_OPTIONS: DocumentOptions & ParseOptions & SchemaOptions = {
  uniqueKeys: false,
  resolveKnownTags: false,
};
