import pc from 'picocolors';
import type { CliOutput } from '../cli-io.js';

/** The colour functions the displays use: picocolors', switched on or off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour for a stream: on for a terminal, off for a pipe or file; `NO_COLOR`
 * (any non-empty value) switches it off and `FORCE_COLOR` on, as most tools agree.
 */
export function colorsFor(
  output: CliOutput,
  env: Readonly<Record<string, string | undefined>>,
): Colors {
  return pc.createColors(useColor(output, env));
}

function useColor(output: CliOutput, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return output.isTTY === true && env.TERM !== 'dumb';
}
