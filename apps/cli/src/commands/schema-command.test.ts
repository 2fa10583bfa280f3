import { describe, expect, it } from 'vitest';
import { schemaKindOf } from './schema-command.js';

describe('schemaKindOf', () => {
  it('is the kind named, workflow without one, profiles with the old switch', () => {
    expect(schemaKindOf(undefined, false)).toBe('workflow');
    expect(schemaKindOf(undefined, true)).toBe('profiles');
    expect(schemaKindOf('workflow', false)).toBe('workflow');
    expect(schemaKindOf('profiles', false)).toBe('profiles');
    expect(schemaKindOf('profiles', true)).toBe('profiles');
  });

  it.each([
    ['profiles.yaml', false, /takes the kind of file .*not a file \(got "profiles\.yaml"\)/],
    ['./workflow', false, /not a file \(got "\.\/workflow"\)/],
    ['workflows', false, /^unknown schema kind "workflows"; did you mean "workflow"\?/],
    ['tools', false, /^unknown schema kind "tools" \(kinds: workflow, profiles\)$/],
    ['workflow', true, /names two kinds/],
  ])('refuses %j (with --profiles: %s)', (argument, profilesSwitch, message) => {
    expect(() => schemaKindOf(argument, profilesSwitch)).toThrow(message);
  });
});
