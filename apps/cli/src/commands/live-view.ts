import type { RunEvent } from '@multi-context/events';
import type { LiveRunSource, RunSource, RunViewServer } from '@multi-context/web';
import type { Observable } from 'rxjs';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import { CommandFailure } from './command-failure.js';
import { environmentSecrets, redactedSource } from './view-secrets.js';

/** `run`'s options of its live view. */
export interface LiveViewOptions {
  /** `--ui`: serve a live view of the run. */
  ui?: boolean;
  uiPort?: number;
  uiHost?: string;
  /** `--ui-keep`: keep serving after the run ended, until Ctrl-C. */
  uiKeep?: boolean;
}

/** The run of this process, as its view needs it. */
export interface ViewedRun {
  runId: string;
  workflowName: string;
  /** The events as the CLI shows them: keys taken out. */
  events$: Observable<RunEvent>;
  cancel(reason: string): void;
}

/** A live view being served: {@link openLiveView}. */
export interface LiveView {
  /** Shows `run`: call it right after the run was started, before its first event; prints the URL. */
  attach(run: ViewedRun): void;
  /** After the run: serves on until Ctrl-C with `--ui-keep`, then stops serving. */
  finish(): Promise<void>;
  /** Stops serving at once: the run did not start after all. */
  close(): Promise<void>;
}

/**
 * Starts serving `run --ui`'s view, before the run starts (a port that is
 * taken stops the command before anything is paid for). The run itself is
 * attached once it exists; the journal folder's other runs are listed too.
 * `@multi-context/web` is loaded here, only for `--ui`.
 *
 * @throws {CommandFailure} (exit 2) When the view cannot listen where it was told.
 */
export async function openLiveView(
  options: LiveViewOptions,
  journalDir: string | undefined,
  io: CliIo,
): Promise<LiveView> {
  const web = await import('@multi-context/web');
  let live: LiveRunSource | undefined;
  // The server exists before the run does: until it is attached, no run is known.
  const current: RunSource = {
    listRuns: async () => (live === undefined ? [] : live.listRuns()),
    events: async (runId, after) => live?.events(runId, after),
    state: async (runId) => (live === undefined ? 'unknown' : live.state(runId)),
    cancel: async (runId, reason) => (live === undefined ? 'unknown' : live.cancel(runId, reason)),
  };
  const sources = [current];
  if (journalDir !== undefined) {
    sources.push(
      redactedSource(web.journalRunSource({ dir: journalDir }), environmentSecrets(io.env)),
    );
  }
  const view = await listen(
    () =>
      web.serveRunView({
        source: web.combineRunSources(...sources),
        host: options.uiHost,
        port: options.uiPort,
      }),
    options.uiHost,
    options.uiPort,
  );
  let attached: string | undefined;
  // A run stopped with Ctrl-C is not kept on show: the user wants out.
  let interrupted = false;
  const stopWatching = io.onInterrupt(() => {
    interrupted = true;
  });
  return {
    attach(run) {
      live = web.liveRunSource(run);
      attached = view.runUrl(run.runId);
      io.stderr.write(`  view: ${attached}\n`);
    },
    async finish() {
      if (options.uiKeep === true && attached !== undefined && !interrupted) {
        // Listening before saying so, and before the watch on the run's Ctrl-C goes: a Ctrl-C at
        // any moment is ours (with no listener at all, Node would end the process on it).
        let stopKeeping = () => {};
        const stopped = new Promise<void>((resolve) => {
          stopKeeping = io.onInterrupt(() => resolve());
        });
        stopWatching();
        io.stderr.write(
          `multi-context: the run ended; its view stays at ${attached} until Ctrl-C.\n`,
        );
        await stopped;
        stopKeeping();
      } else stopWatching();
      await view.close();
    },
    close: () => {
      stopWatching();
      return view.close();
    },
  };
}

/** Starts a view's server; a port in use or an address not of this machine is exit 2, in one line. */
export async function listen(
  start: () => Promise<RunViewServer>,
  host: string | undefined,
  port: number | undefined,
): Promise<RunViewServer> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'EADDRINUSE' ||
      code === 'EADDRNOTAVAIL' ||
      code === 'EACCES' ||
      code === 'ENOTFOUND'
    ) {
      throw new CommandFailure(
        `cannot serve the run view on ${host ?? '127.0.0.1'}:${port ?? 0}: ${(error as Error).message}`,
        ExitCode.usage,
      );
    }
    throw error;
  }
}
