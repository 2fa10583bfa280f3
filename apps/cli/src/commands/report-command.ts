import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import {
  displayPath,
  type JournalDirOptions,
  journalCommand,
  readRun,
} from '../options/journal-options.js';
import { redactEvent } from '../reporting/redact-event.js';
import { CommandFailure } from './command-failure.js';
import { environmentSecrets } from './view-secrets.js';

/** The options of `multi-context report`. */
export interface ReportCommandOptions extends JournalDirOptions {
  /** `--out`: the HTML file to write. */
  out: string;
}

/**
 * `multi-context report <runId> --out run.html`: writes the run's page as one
 * self-contained HTML file, its events inlined (keys taken out, as
 * everything the CLI prints), which any browser opens with no network.
 */
export function reportCommand(
  runId: string,
  options: ReportCommandOptions,
  io: CliIo,
): Promise<number> {
  return journalCommand(io, async () => {
    const contents = await readRun(runId, options, io);
    const secrets = environmentSecrets(io.env);
    const events = contents.events.map((event) => redactEvent(event, secrets));
    const { renderPageHtml } = await import('@multi-context/web');
    const html = renderPageHtml(
      { view: 'run', runId: contents.header.runId, events },
      { title: `${contents.header.workflow.name} — run ${contents.header.runId}` },
    );
    const out = resolve(io.cwd, options.out);
    try {
      await writeFile(out, html);
    } catch (error) {
      throw new CommandFailure(`cannot write ${options.out}: ${(error as Error).message}`);
    }
    io.stderr.write(
      `report of run ${contents.header.runId} (${events.length} events): ${displayPath(out, io)}\n`,
    );
    return ExitCode.ok;
  });
}
