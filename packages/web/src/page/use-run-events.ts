import type { RunEvent } from '@multi-context/events';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ReportRunBoot, ServedRunBoot } from '../page-boot.js';
import { RunViewBuilder } from '../view-model/run-view-builder.js';
import { viewHook } from './view-hook.js';

/** Where the page's events stand. */
export type Connection = 'report' | 'connecting' | 'open' | 'reconnecting' | 'ended' | 'failed';

export interface RunEvents {
  /** The builder of the view shown: every event, or those up to the scrubbed time. */
  builder: RunViewBuilder;
  /** Changes whenever the view shown changed. */
  version: number;
  /** Every event received, in `seq` order. */
  events: readonly RunEvent[];
  /** True while events may still come (a served run before its end). */
  live: boolean;
  connection: Connection;
  /** The scrubbed time, or undefined to show everything. */
  scrubTime: number | undefined;
  /** Shows the run as it stood at `time` (epoch ms), or all of it with undefined. */
  scrubTo(time: number | undefined): void;
  /** Now on the clock of the run's events: the browser's clock less how far ahead of them it runs. */
  runClock(): number;
}

/** The events of a run, from the boot data (a report) or its server (SSE), folded as they come. */
export function useRunEvents(boot: ReportRunBoot | ServedRunBoot): RunEvents {
  const events = useRef<RunEvent[]>([]);
  const shown = useRef({
    builder: new RunViewBuilder(),
    count: 0,
    scrubTime: undefined as number | undefined,
  });
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<Connection>(
    'events' in boot ? 'report' : 'connecting',
  );
  const frame = useRef(0);
  // The least lag seen between an event's time and its arrival: the server's clock may differ.
  const lag = useRef(Number.POSITIVE_INFINITY);
  const bump = () => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setVersion((v) => v + 1);
    });
  };

  // A report's events are all there: fold them before the first paint.
  useMemo(() => {
    if (!('events' in boot)) return;
    events.current = boot.events;
    viewHook.expected = boot.events.length;
    const s = shown.current;
    for (const event of boot.events) s.builder.add(event);
    s.count = boot.events.length;
  }, [boot]);

  useEffect(() => {
    if ('events' in boot) return;
    const url = new URL(boot.eventsUrl, location.href);
    if (boot.token !== undefined) url.searchParams.set('token', boot.token);
    const source = new EventSource(url);
    source.onopen = () => setConnection('open');
    source.onerror = () => {
      // Closed without its `end`: refused (a wrong token, an unknown run) or gone for good.
      if (source.readyState === EventSource.CLOSED) setConnection('failed');
      else setConnection('reconnecting');
    };
    source.onmessage = (message: MessageEvent<string>) => {
      // A batch of events (a JSON array, the server's form) or one event.
      const data = JSON.parse(message.data) as RunEvent | RunEvent[];
      const batch = Array.isArray(data) ? data : [data];
      const all = events.current;
      const s = shown.current;
      const following = s.scrubTime === undefined;
      let latest = Number.NEGATIVE_INFINITY;
      for (const event of batch) {
        // A reconnect may send again what arrived already.
        if (event.seq < all.length) continue;
        all.push(event);
        if (following) s.builder.add(event);
        if (event.time > latest) latest = event.time;
      }
      if (latest === Number.NEGATIVE_INFINITY) return;
      lag.current = Math.min(lag.current, Date.now() - latest);
      if (following) s.count = all.length;
      // Drawn on the next animation frame, once, however many batches came meanwhile.
      bump();
    };
    source.addEventListener('end', () => {
      source.close();
      setConnection('ended');
      bump();
    });
    return () => source.close();
  }, [boot]);

  const scrubTo = (time: number | undefined) => {
    const s = shown.current;
    const all = events.current;
    const target = time === undefined ? all.length : upperBoundByTime(all, time);
    if (target < s.count) {
      s.builder = new RunViewBuilder();
      s.count = 0;
    }
    for (let i = s.count; i < target; i += 1) s.builder.add(all[i]!);
    s.count = target;
    s.scrubTime = time;
    bump();
  };

  const live =
    connection === 'connecting' || connection === 'open' || connection === 'reconnecting';
  return {
    builder: shown.current.builder,
    version,
    events: events.current,
    live,
    connection,
    scrubTime: shown.current.scrubTime,
    scrubTo,
    runClock: () => Date.now() - (Number.isFinite(lag.current) ? lag.current : 0),
  };
}

/** How many events happened at or before `time` (events are in time order). */
function upperBoundByTime(events: readonly RunEvent[], time: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid]!.time <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}
