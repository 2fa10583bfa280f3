import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderPageHtml, scriptSafeJson } from './page-html.js';

const hostile = '</script><script>alert(1)</script>\u2028\u2029<!-- & -->';

describe('scriptSafeJson', () => {
  it('leaves nothing that can end a script element, and parses back unchanged', () => {
    const json = scriptSafeJson({ text: hostile });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ text: hostile });
  });
});

describe('renderPageHtml', () => {
  const html = renderPageHtml(
    { view: 'list', runsUrl: '/api/runs', runUrl: '/runs/{runId}' },
    { title: `Runs ${hostile}` },
  );

  it('is one document: the page script and styles inline, the boot data as JSON', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    const boot = /<script type="application\/json" id="mc-boot">(.*?)<\/script>/s.exec(html);
    expect(JSON.parse(boot![1]!)).toEqual({
      view: 'list',
      runsUrl: '/api/runs',
      runUrl: '/runs/{runId}',
    });
    expect(html).toContain(
      `<title>Runs &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;`,
    );
  });

  it('allows only its own inline script and styles, by hash, and no other site', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    const scripts = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>(.*?)<\/style>/gs)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash(scripts[0]!)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(styles[0]!)}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('inlines a run events so that no text in them ends the script', () => {
    const page = renderPageHtml({
      view: 'run',
      runId: 'r',
      events: [{ type: 'task:delta', runId: 'r', seq: 0, time: 1, taskId: 't', text: hostile }],
    });
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).not.toContain('<script>alert(1)');
  });
});
