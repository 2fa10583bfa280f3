import { render } from 'preact';
import type { PageBoot } from '../page-boot.js';
import { App } from './app.js';
import { exposeViewHook } from './view-hook.js';
import './page.css';

// The boot data is JSON in a non-executable script element: read as text, parsed, never evaluated.
const bootElement = document.getElementById('mc-boot');
const bootText = bootElement?.textContent ?? '';
// A report's events can be tens of MB of text: once parsed, the page keeps only the objects.
bootElement?.remove();
const root = document.getElementById('mc-root') ?? document.body;
exposeViewHook();
try {
  const boot = JSON.parse(bootText) as PageBoot;
  render(<App boot={boot} />, root);
} catch (error) {
  root.textContent = `This page could not start: ${error instanceof Error ? error.message : String(error)}`;
}
