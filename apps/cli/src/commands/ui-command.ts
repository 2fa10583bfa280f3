import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import { type JournalDirOptions, journalDirOf } from '../options/journal-options.js';
import type { ViewListenOptions } from '../options/view-options.js';
import { listen } from './live-view.js';
import { environmentSecrets, redactedSource } from './view-secrets.js';

/** The options of `multi-context ui`. */
export interface UiCommandOptions extends JournalDirOptions, ViewListenOptions {}

/**
 * `multi-context ui`: serves the run view of every journaled run until
 * Ctrl-C (exit 130): the run list, and each run's page, live while its
 * journal is being written (by a `run` in another terminal), replayed once
 * it ended.
 */
export async function uiCommand(options: UiCommandOptions, io: CliIo): Promise<number> {
  const web = await import('@multi-context/web');
  const source = redactedSource(
    web.journalRunSource({ dir: journalDirOf(options, io) }),
    environmentSecrets(io.env),
  );
  const view = await listen(
    () => web.serveRunView({ source, host: options.host, port: options.port }),
    options.host,
    options.port,
  );
  io.stderr.write(`view: ${view.url}\n(Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = io.onInterrupt(() => {
      stop();
      resolve();
    });
  });
  await view.close();
  return ExitCode.interrupted;
}
