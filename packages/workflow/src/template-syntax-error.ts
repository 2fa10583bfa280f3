import { MultiContextError } from '@multi-context/errors';
/** One malformed reference of a template. */
export interface TemplateIssue {
  message: string;
  /** Where the reference's `{{` is in the template text (UTF-16 code units). */
  offset: number;
  /** How much of the text the reference spans (2 for an unclosed `{{`). */
  length: number;
}

/**
 * A template with malformed references (see `parseTemplate`). `issues` lists
 * every one; the message shows the first.
 *
 * Recognise it with {@link TemplateSyntaxError.isInstance}, which works
 * across copies of this package (an `instanceof` check does not).
 */
export class TemplateSyntaxError extends MultiContextError {
  static override errorName = 'TemplateSyntaxError';

  /** Every malformed reference, in text order; never empty. */
  readonly issues: TemplateIssue[];

  constructor(issues: TemplateIssue[]) {
    const more = issues.length - 1;
    super(
      `Invalid template at offset ${issues[0]?.offset ?? 0}: ${issues[0]?.message ?? 'malformed'}` +
        (more > 0 ? ` (and ${more} more issue${more === 1 ? '' : 's'})` : ''),
    );
    this.issues = issues;
  }
}
