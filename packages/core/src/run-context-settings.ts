import { renderTemplate, type Workflow } from '@multi-context/workflow';
import { type ContextSettings, contextSettings } from './context-settings.js';

/**
 * The settings of each context of one run, made once per context: its
 * `contexts:` entry with its system template rendered, or the one shared
 * object of the contexts that have no entry (a run compares contexts with it
 * by identity, once per context, so it must not be made again).
 */
export class RunContextSettings {
  readonly #workflow: Workflow;
  readonly #inputs: Readonly<Record<string, string | number | boolean>>;
  readonly #settings = new Map<string, ContextSettings>();
  #plain: ContextSettings | undefined;

  constructor(workflow: Workflow, inputs: Readonly<Record<string, string | number | boolean>>) {
    this.#workflow = workflow;
    this.#inputs = inputs;
  }

  /** The settings of the context `name` in this run. */
  for(name: string): ContextSettings {
    const spec = this.#workflow.contexts?.[name];
    if (spec === undefined) {
      this.#plain ??= contextSettings(this.#workflow, undefined, undefined);
      return this.#plain;
    }
    let settings = this.#settings.get(name);
    if (settings === undefined) {
      const system =
        spec.systemTemplate !== undefined
          ? renderTemplate(spec.systemTemplate, { inputs: this.#inputs })
          : spec.system;
      settings = contextSettings(this.#workflow, spec, system);
      this.#settings.set(name, settings);
    }
    return settings;
  }

  /**
   * Whether `settings` are those of a context without a `contexts:` entry:
   * such a context sends its plain history, and is made at its first append.
   */
  isPlain(settings: ContextSettings): boolean {
    return settings === this.#plain;
  }
}
