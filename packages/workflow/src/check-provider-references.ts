import { didYouMean } from './did-you-mean.js';
import { entriesOf, field, isRecord } from './document-fields.js';
import { quote, quoteList } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/**
 * Checks that every profile that names a provider names one of the
 * document's `providers`. A document without a `providers` section is not
 * checked: its profiles name providers configured elsewhere (another file,
 * or the host's code).
 */
export function checkProviderReferences(document: unknown): WorkflowIssueDraft[] {
  const providers = field(document, 'providers');
  if (!isRecord(providers)) return [];
  const names = Object.keys(providers);
  const issues: WorkflowIssueDraft[] = [];
  for (const [profile, spec] of entriesOf(field(document, 'profiles'))) {
    const provider = field(spec, 'provider');
    if (typeof provider !== 'string' || Object.hasOwn(providers, provider)) continue;
    const suggestion = didYouMean(provider, names);
    issues.push({
      path: ['profiles', profile, 'provider'],
      code: 'unknown_reference',
      message:
        `unknown provider ${quote(provider)}` +
        (suggestion
          ? `; did you mean ${quote(suggestion)}?`
          : names.length > 0
            ? ` (defined: ${quoteList(names)})`
            : ' (providers defines none)'),
    });
  }
  return issues;
}
