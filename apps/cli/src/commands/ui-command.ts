import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import { type JournalDirOptions, journalDirOf } from '../options/journal-options.js';
import type { ViewListenOptions } from '../options/view-options.js';
import { listen } from './live-view.js';
import { reachJournalRedis } from './redis-journal.js';
import { redisRunSource } from './redis-run-source.js';
import { environmentSecrets, redactedSource } from './view-secrets.js';

/** The options of `multi-context ui`. */
export interface UiCommandOptions extends JournalDirOptions, ViewListenOptions {
  /** `--redis`: serve the runs journaled in this Redis instead of the journal folder. */
  redis?: string;
}

/**
 * `multi-context ui`: serves the run view of every journaled run until
 * Ctrl-C (exit 130): the run list, and each run's page, live while its
 * journal is being written (by a `run` in another terminal), replayed once
 * it ended. With `--redis`, the runs journaled in that Redis.
 */
export async function uiCommand(options: UiCommandOptions, io: CliIo): Promise<number> {
  const web = await import('@multi-context/web');
  const runs =
    options.redis === undefined
      ? web.journalRunSource({ dir: journalDirOf(options, io) })
      : redisRunSource(await reachJournalRedis(options.redis), web, options.redis);
  const source = redactedSource(runs, environmentSecrets(io.env));
  const view = await listen(
    () => web.serveRunView({ source, host: options.host, port: options.port }),
    options.host,
    options.port,
  );
  // Listening before the URL is out: a Ctrl-C at any moment from then on stops the view cleanly.
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = io.onInterrupt(() => resolve());
  });
  io.stderr.write(`view: ${view.url}\n(Ctrl-C to stop)\n`);
  await stopped;
  stop();
  await view.close();
  return ExitCode.interrupted;
}
