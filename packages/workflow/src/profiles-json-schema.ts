import { z } from 'zod';
import { profilesFileSchema } from './profiles-schema.js';

/**
 * The JSON Schema (draft 2020-12) of a profiles file, generated from
 * {@link profilesFileSchema}: point an editor at it with
 * `# yaml-language-server: $schema=profiles.schema.json`. Whether each
 * profile's provider is defined is checked only by `validateProfilesDocument`.
 *
 * @example
 * writeFileSync('profiles.schema.json', JSON.stringify(profilesJsonSchema(), null, 2));
 */
export function profilesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(profilesFileSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
}
