import type { ClippedText } from '../view-model/run-view.js';
import { formatCount } from './format.js';

export interface ClippedPreProps {
  value: ClippedText;
  /** Extra classes of the `<pre>` (say `error-text`). */
  class?: string;
  testId?: string;
}

/**
 * A text the view cut for display, as a text node, with a note saying how
 * much of it is shown when it was cut: the reader knows the rest exists.
 */
export function ClippedPre({ value, class: extra, testId }: ClippedPreProps) {
  const cut = value.length > value.text.length;
  return (
    <>
      <pre class={extra === undefined ? 'text' : `text ${extra}`} data-testid={testId}>
        {value.text}
        {cut ? '…' : ''}
      </pre>
      {cut && (
        <p class="note clipped-note">
          first {formatCount(value.text.length)} of {formatCount(value.length)} characters
        </p>
      )}
    </>
  );
}
