import type { ConformanceWire } from '@multi-context/testing';
import { answerLines } from './ollama-server.js';

/**
 * The streams of the provider conformance suite in Ollama's `/api/chat`
 * format: newline-delimited JSON, one line per piece and a `done` line with
 * the usage. Its breaks: cut after two pieces (no `done` line), a line whose
 * JSON stops short, and an `error` line of a model runner that stopped
 * (Ollama restarts it, so another attempt may succeed).
 */
export function ollamaConformanceWire(model = 'llama3.2'): ConformanceWire {
  const lines = answerLines(['Hello', ',', ' world', '!'], model);
  const hello = lines[0]!;
  return {
    answer: lines,
    // Ollama sends nothing of its own beyond the content type.
    headers: {},
    contentType: 'application/x-ndjson',
    partialAnswer: lines.slice(0, 2),
    malformedChunk: [hello, `{"model":"${model}","message":{"role":"assistant","content":\n`],
    errorInStream: [hello, `${JSON.stringify(ollamaErrorBody(OLLAMA_RUNNER_STOPPED))}\n`],
  };
}

/** What Ollama's runner says in the stream when it dies mid-answer (out of memory, a crash). */
export const OLLAMA_RUNNER_STOPPED =
  'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';

/** The body of every Ollama error, an HTTP answer's or a line in the stream. */
export function ollamaErrorBody(message: string): { error: string } {
  return { error: message };
}
