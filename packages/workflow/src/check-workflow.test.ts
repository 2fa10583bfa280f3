import { describe, expect, it } from 'vitest';
import { checkWorkflow, defineWorkflow } from './index.js';

const workflow = defineWorkflow({
  name: 'w',
  defaultProfile: 'general',
  profiles: { inline: { model: 'x' } },
  contexts: {
    notes: { trim: { policy: 'summarize', profile: 'sumarizer' } },
    other: { trim: 'drop_oldest' },
  },
  phases: [
    {
      name: 'p',
      tasks: [
        { contextName: 'notes', prompt: 'a', profile: 'writr' },
        { contextName: 'notes', prompt: 'b', profile: 'inline' },
        { contextName: 'notes', prompt: 'c' },
        { contextName: 'notes', prompt: 'd', profile: 'zzz' },
      ],
    },
  ],
});

describe('checkWorkflow', () => {
  it('reports every profile used but not defined, at the name in the file', () => {
    expect(
      checkWorkflow(workflow, { definedProfiles: ['writer', 'summarizer', 'general'] }),
    ).toEqual([
      {
        path: ['contexts', 'notes', 'trim', 'profile'],
        code: 'undefined_profile',
        message: 'profile "sumarizer" is not defined; did you mean "summarizer"?',
      },
      {
        path: ['phases', 0, 'tasks', 0, 'profile'],
        code: 'undefined_profile',
        message: 'profile "writr" is not defined; did you mean "writer"?',
      },
      {
        path: ['phases', 0, 'tasks', 3, 'profile'],
        code: 'undefined_profile',
        message:
          'profile "zzz" is not defined (defined: "writer", "summarizer", "general" and "inline")',
      },
    ]);
  });

  it('counts the default profile, and says when nothing is defined', () => {
    const plain = defineWorkflow({
      name: 'w',
      defaultProfile: 'general',
      phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'q' }] }],
    });
    expect(checkWorkflow(plain, { definedProfiles: [] })).toEqual([
      {
        path: ['default_profile'],
        code: 'undefined_profile',
        message: 'profile "general" is not defined (no profiles are defined)',
      },
    ]);
  });

  it('checks nothing without a list of defined profiles', () => {
    expect(checkWorkflow(workflow)).toEqual([]);
    expect(
      checkWorkflow(workflow, { definedProfiles: ['writr', 'sumarizer', 'zzz', 'general'] }),
    ).toEqual([]);
  });
});
