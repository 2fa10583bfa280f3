import { describe, expect, it } from 'vitest';
import { formatIssue, formatIssues, type WorkflowLoadIssue } from './index.js';

const issue = (
  line: number,
  column: number,
  message = 'something is wrong',
): WorkflowLoadIssue => ({
  message,
  path: [],
  line,
  column,
  source: 'w.yaml',
  code: 'test',
});

describe('formatIssue', () => {
  it('renders file:line:col, the source line and a caret under the column', () => {
    const text = 'name: Demo\nphases:\n  - name: One\n';
    expect(formatIssue(issue(3, 5, 'look here'), text)).toBe(
      ['w.yaml:3:5: look here', '    3 |   - name: One', '      |     ^'].join('\n'),
    );
  });

  it('renders only the header without the text or past its end', () => {
    expect(formatIssue(issue(2, 1))).toBe('w.yaml:2:1: something is wrong');
    expect(formatIssue(issue(9, 1), 'one line')).toBe('w.yaml:9:1: something is wrong');
    const { source: _, ...unnamed } = issue(1, 1);
    expect(formatIssue(unnamed)).toBe('<input>:1:1: something is wrong');
  });

  it('keeps tabs so the caret lines up, and drops a CR', () => {
    expect(formatIssue(issue(1, 3), 'a\t\tb: 1\r\nnext')).toBe(
      ['w.yaml:1:3: something is wrong', '    1 | a\t\tb: 1', '      |  \t^'].join('\n'),
    );
  });

  it('shows a window of a long line around the column', () => {
    const line = `${'a'.repeat(500)}X${'b'.repeat(500)}`;
    const [, source, caret] = formatIssue(issue(1, 501), line).split('\n');
    expect(source!.length).toBeLessThan(140);
    expect(source![caret!.indexOf('^')]).toBe('X');
  });

  it('replaces control characters one for one', () => {
    const [, source, caret] = formatIssue(issue(1, 3), '\u0000\u001b[31mred').split('\n');
    expect(source).toBe('    1 | \ufffd\ufffd[31mred');
    expect(source![caret!.indexOf('^')]).toBe('[');
  });
});

describe('formatIssues', () => {
  it('renders every issue, separated by blank lines', () => {
    const text = 'a: 1\nb: 2\n';
    expect(formatIssues([issue(1, 1, 'first'), issue(2, 4, 'second')], text)).toBe(
      [
        'w.yaml:1:1: first',
        '    1 | a: 1',
        '      | ^',
        '',
        'w.yaml:2:4: second',
        '    2 | b: 2',
        '      |    ^',
      ].join('\n'),
    );
  });
});
