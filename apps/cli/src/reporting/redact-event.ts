import type { RunEvent } from '@multi-context/events';
import { redactSecrets } from '@multi-context/provider';
import { map, type Observable, share } from 'rxjs';

/**
 * `event` with every secret replaced by `[redacted]`, wherever it appears
 * (an error message, a response that echoes a key). The providers keep keys
 * out of their errors already; this is the last guard before anything is
 * printed, for plugins that do not. The same event is returned when it
 * holds no secret.
 */
export function redactEvent(event: RunEvent, secrets: readonly string[]): RunEvent {
  if (secrets.length === 0) return event;
  const json = JSON.stringify(event);
  const safe = redactSecrets(json, secrets);
  return safe === json ? event : (JSON.parse(safe) as RunEvent);
}

/**
 * A run's events with {@link redactEvent} applied: what the CLI shows and
 * journals, so that a key echoed into an event reaches neither the screen
 * nor a file. Shared: each event is redacted once, whoever subscribes (the
 * journal and the display both do), and every subscriber gets the same object.
 */
export function redactedEvents(
  events$: Observable<RunEvent>,
  secrets: readonly string[],
): Observable<RunEvent> {
  return secrets.length === 0
    ? events$
    : events$.pipe(
        map((event) => redactEvent(event, secrets)),
        share(),
      );
}
