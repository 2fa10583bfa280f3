import type { DeclaredInput } from './check-inputs.js';
import { createSuggester, didYouMean } from './did-you-mean.js';
import { entriesOf, field, type Spelling } from './document-fields.js';
import { scanTemplate } from './parse-template.js';
import type { TaskRef } from './task-ids.js';
import type { TemplatePart, TemplateRef } from './template.js';
import { quote, quoteList } from './wording.js';
import type { WorkflowIssueDraft } from './workflow-issue.js';

/** A prompt or system message after parsing: its template (when it has template syntax) and the tasks it uses. */
export interface CheckedTemplate {
  template: TemplatePart[] | undefined;
  dependsOn: string[];
}

/** What {@link checkTemplates} found. */
export interface TemplateCheck {
  /** One per task ref, in the same order. */
  tasks: CheckedTemplate[];
  /** The parsed `system` of each context that has template syntax. */
  contexts: Map<string, TemplatePart[]>;
  issues: WorkflowIssueDraft[];
}

interface TaskPlace {
  phase: number;
  position: number;
  parallel: boolean;
  phaseName: string;
  json: boolean;
}

type Path = (string | number)[];

/**
 * Parses every prompt and context system message, and checks each reference
 * where the document is read (defensively, as the shape may be invalid
 * elsewhere): a task's prompt may use the outputs of tasks that end before it
 * starts (earlier phases, and earlier tasks of its own sequential phase) and
 * `.json` only of tasks with `output.format: json`; every template may use the
 * declared inputs that always have a value. Each issue has the span of its
 * reference in the string.
 */
export function checkTemplates(
  document: unknown,
  spelling: Spelling,
  refs: readonly TaskRef[],
  ids: readonly string[],
  inputs: ReadonlyMap<string, DeclaredInput>,
): TemplateCheck {
  const issues: WorkflowIssueDraft[] = [];
  const places = new Map<string, TaskPlace>();
  refs.forEach((ref, index) => {
    const [, phase, , position] = ref.path as [string, number, string, number];
    const output = field(field(ref.task, 'output'), 'format');
    const id = ids[index]!;
    if (places.has(id)) return;
    places.set(id, {
      phase,
      position,
      parallel: field(ref.phase, spelling.executionMode) === 'parallel',
      phaseName: String(field(ref.phase, 'name') ?? ''),
      json: output === 'json',
    });
  });

  const checkInput = (ref: TemplateRef, path: Path): void => {
    const declared = inputs.get(ref.name);
    if (declared === undefined) {
      const suggestion = didYouMean(ref.name, [...inputs.keys()]);
      issues.push(
        at(
          path,
          ref,
          'unknown_reference',
          `unknown input ${quote(ref.name)} in ${ref.raw}`,
          suggestion
            ? `; did you mean ${quote(suggestion)}?`
            : inputs.size === 0
              ? ': the workflow declares no inputs'
              : ` (declared: ${quoteList([...inputs.keys()])})`,
        ),
      );
    } else if (!declared.alwaysSet) {
      issues.push(
        at(
          path,
          ref,
          'invalid_reference',
          `${ref.raw} uses input ${quote(ref.name)}, which is optional and has no default; give it a default or make it required`,
        ),
      );
    }
  };

  const suggestTask = createSuggester(ids);
  const tasks = refs.map((ref, index): CheckedTemplate => {
    const task = ref.task;
    const prompt = field(task, 'prompt');
    if (typeof prompt !== 'string') return { template: undefined, dependsOn: [] };
    const path = [...ref.path, 'prompt'];
    const self = places.get(ids[index]!);
    const scan = scanTemplate(prompt);
    for (const issue of scan.issues) {
      issues.push({
        path,
        code: 'invalid_template',
        message: issue.message,
        span: { offset: issue.offset, length: issue.length },
      });
    }
    const dependsOn = new Set<string>();
    for (const part of scan.parts) {
      if (part.kind === 'text') continue;
      if (part.source === 'inputs') {
        checkInput(part, path);
        continue;
      }
      const problem = outputProblem(part, ids[index]!, self, places, suggestTask);
      if (problem === undefined) dependsOn.add(part.name);
      else issues.push(at(path, part, problem.code, problem.message));
    }
    const checked = { template: templateOf(prompt, scan.parts), dependsOn: [...dependsOn] };
    if (spelling.code) issues.push(...checkDerived(task, ref.path, checked));
    return checked;
  });

  const contexts = new Map<string, TemplatePart[]>();
  for (const [name, context] of entriesOf(field(document, 'contexts'))) {
    const system = field(context, 'system');
    if (typeof system !== 'string') continue;
    const path = ['contexts', name, 'system'];
    const scan = scanTemplate(system);
    for (const issue of scan.issues) {
      issues.push({
        path,
        code: 'invalid_template',
        message: issue.message,
        span: { offset: issue.offset, length: issue.length },
      });
    }
    for (const part of scan.parts) {
      if (part.kind === 'text') continue;
      if (part.source === 'inputs') checkInput(part, path);
      else {
        issues.push(
          at(
            path,
            part,
            'invalid_reference',
            `${part.raw} cannot be used in a context's system message: only {{ inputs.<name> }} can, as a context outlives every task`,
          ),
        );
      }
    }
    const template = templateOf(system, scan.parts);
    if (template !== undefined) contexts.set(name, template);
    if (spelling.code) {
      const given = field(context, 'systemTemplate');
      if (given !== undefined && !sameJson(given, template)) {
        issues.push({
          path: ['contexts', name, 'systemTemplate'],
          code: 'invalid_value',
          message: 'systemTemplate does not match system: it is derived from system; leave it out',
        });
      }
    }
  }
  return { tasks, contexts, issues };
}

function outputProblem(
  ref: TemplateRef,
  selfId: string,
  self: TaskPlace | undefined,
  places: ReadonlyMap<string, TaskPlace>,
  suggestTask: (name: string) => string | undefined,
): { code: 'unknown_reference' | 'invalid_reference'; message: string } | undefined {
  const target = places.get(ref.name);
  if (target === undefined) {
    const suggestion = suggestTask(ref.name);
    return {
      code: 'unknown_reference',
      message:
        `unknown task id ${quote(ref.name)} in ${ref.raw}` +
        (suggestion ? `; did you mean ${quote(suggestion)}?` : ''),
    };
  }
  const invalid = (message: string) => ({ code: 'invalid_reference' as const, message });
  if (ref.name === selfId) {
    return invalid(
      `${ref.raw} refers to this task's own output; a prompt can use only outputs of tasks that end before it starts`,
    );
  }
  if (self !== undefined) {
    if (target.phase > self.phase) {
      return invalid(
        `${ref.raw} refers to task ${quote(ref.name)} of a later phase (${quote(target.phaseName)}, phase ${target.phase + 1}), which has not run yet`,
      );
    }
    if (target.phase === self.phase && self.parallel) {
      return invalid(
        `${ref.raw} refers to task ${quote(ref.name)} of the same parallel phase, which runs at the same time; move one of them to another phase`,
      );
    }
    if (target.phase === self.phase && target.position > self.position) {
      return invalid(
        `${ref.raw} refers to task ${quote(ref.name)}, which runs after this task in the same sequential phase`,
      );
    }
  }
  if (ref.path.length > 0 && !target.json) {
    return invalid(`${ref.raw} needs task ${quote(ref.name)} to declare output: { format: json }`);
  }
  return undefined;
}

function at(
  path: Path,
  ref: TemplateRef,
  code: WorkflowIssueDraft['code'],
  message: string,
  tail = '',
): WorkflowIssueDraft {
  return { path, code, message: message + tail, span: { offset: ref.offset, length: ref.length } };
}

/** The parts, when rendering them differs from sending the text as it is. */
function templateOf(text: string, parts: readonly TemplatePart[]): TemplatePart[] | undefined {
  const plain =
    parts.length === 0 ||
    (parts.length === 1 && parts[0]!.kind === 'text' && parts[0]!.text === text);
  return plain ? undefined : [...parts];
}

/** In code, `template` and `dependsOn` may be given (a Workflow is a valid input), but must be what the prompt gives. */
function checkDerived(task: unknown, path: Path, checked: CheckedTemplate): WorkflowIssueDraft[] {
  const issues: WorkflowIssueDraft[] = [];
  const template = field(task, 'template');
  if (template !== undefined && !sameJson(template, checked.template)) {
    issues.push({
      path: [...path, 'template'],
      code: 'invalid_value',
      message: 'template does not match prompt: it is derived from prompt; leave it out',
    });
  }
  const dependsOn = field(task, 'dependsOn');
  if (dependsOn !== undefined && !sameJson(dependsOn, checked.dependsOn)) {
    issues.push({
      path: [...path, 'dependsOn'],
      code: 'invalid_value',
      message: `dependsOn does not match prompt: it is derived from prompt (${JSON.stringify(checked.dependsOn)}); leave it out`,
    });
  }
  return issues;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
