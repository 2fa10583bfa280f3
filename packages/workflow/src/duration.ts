import { z } from 'zod';
import { expecting } from './expectations.js';

/** A duration as written in a workflow file: a number and a unit, such as `500ms`, `60s`, `1.5m` or `1h`. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)$/;

/** The longest duration: the longest delay a Node.js timer supports (about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Other spellings of the units, for suggestions: `60 sec` → `60s`. */
const UNIT_ALIASES: Record<string, keyof typeof UNIT_MS> = {
  ms: 'ms',
  msec: 'ms',
  msecs: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
};

/**
 * The milliseconds of a duration such as `500ms`, `60s`, `1.5m` or `2h`,
 * rounded to a whole millisecond; undefined for any other text. The result
 * may be 0 or above {@link MAX_DURATION_MS}: callers check the range.
 *
 * @example
 * parseDuration('1.5s'); // 1500
 * parseDuration('60');   // undefined: a unit is required
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** A duration the writer probably meant: `60` → `60s`, `"2 min"` → `2m`; undefined when none is clear. */
function suggestDuration(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return `${value}s`;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)\s*$/.exec(value);
  if (match === null) return undefined;
  const unit = match[2] === '' ? 's' : UNIT_ALIASES[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const suggestion = `${match[1]}${unit}`;
  return suggestion === value ? undefined : suggestion;
}

/**
 * A duration in a workflow or profiles file: a string with a unit, turned
 * into milliseconds. A bare number is refused (is `60` seconds or
 * milliseconds?), with the unit-ful spelling suggested.
 */
export function durationSchema(description: string) {
  return expecting(
    z
      .string()
      .regex(DURATION_PATTERN)
      .transform((text) => parseDuration(text)!)
      .refine((ms) => ms >= 1 && ms <= MAX_DURATION_MS)
      .meta({
        description: `${description} A number and a unit: ms, s, m or h ("500ms", "60s", "1.5m", "1h").`,
      }),
    'a duration with a unit, such as "500ms", "60s", "2m" or "1h" (from 1ms to 596h)',
    { suggest: suggestDuration },
  );
}

/** A duration in milliseconds, in code (`defineWorkflow`). */
export function millisecondsSchema(description: string) {
  return expecting(
    z.number().int().min(1).max(MAX_DURATION_MS).meta({ description }),
    `a whole number of milliseconds from 1 to ${MAX_DURATION_MS}`,
  );
}
