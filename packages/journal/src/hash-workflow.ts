import { createHash } from 'node:crypto';
import type { Workflow } from '@multi-context/workflow';
import { canonicalJson } from './canonical-json.js';

/**
 * The SHA-256 (lowercase hex) of the workflow's canonical JSON: keys sorted at
 * every level, so the hash depends on what the workflow says, not on the order
 * its keys were written in. A journal's header carries it; a resume compares
 * it with the workflow it is given.
 *
 * @example
 * hashWorkflow(workflow); // '3f2a…' (64 hex digits)
 */
export function hashWorkflow(workflow: Workflow): string {
  return createHash('sha256').update(canonicalJson(workflow)).digest('hex');
}
