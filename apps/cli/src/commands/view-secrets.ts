import type { RunEvent } from '@multi-context/events';
import type { RunSource } from '@multi-context/web';
import { map } from 'rxjs';
import { redactEvent } from '../reporting/redact-event.js';

/** Names of environment variables that hold keys: `OPENAI_API_KEY`, `GITHUB_TOKEN`, `X_SECRET`... */
const SECRET_VARIABLE = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD)$/i;

/**
 * The values of the environment's key variables. Journals are written with
 * the run's keys taken out already; what the view and the report show is
 * redacted once more with these, as the last guard (a run journaled by a
 * plugin that echoed a key the CLI did not know of).
 */
export function environmentSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    SECRET_VARIABLE.test(name) && value !== undefined && value.length >= 8 ? [value] : [],
  );
}

/** `source` with every event (and every list entry) redacted of `secrets`. */
export function redactedSource(source: RunSource, secrets: readonly string[]): RunSource {
  if (secrets.length === 0) return source;
  return {
    ...source,
    listRuns: async () => (await source.listRuns()).map((run) => redactJson(run, secrets)),
    events: async (runId, after) =>
      (await source.events(runId, after))?.pipe(
        map((event: RunEvent) => redactEvent(event, secrets)),
      ),
  };
}

function redactJson<T>(value: T, secrets: readonly string[]): T {
  let text = JSON.stringify(value);
  for (const secret of secrets) text = text.split(secret).join('[redacted]');
  return JSON.parse(text) as T;
}
