import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The most characters of one tool result sent to the model, unless the host says otherwise. */
export const DEFAULT_MAX_RESULT_CHARS = 100_000;

/**
 * The text a model is sent for an MCP tool's result: its text parts, a short
 * placeholder for each image, audio or binary part (a model of this contract
 * takes text), and the structured content as JSON when there is no text.
 * Cut to `maxChars`, with a note that says how much was left out: a server
 * that returns megabytes must not fill the context, nor fail the call.
 */
export function resultText(result: CallToolResult, maxChars: number): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
      case 'audio':
        parts.push(`[${block.type}: ${block.mimeType}, ${approximateBytes(block.data)} bytes]`);
        break;
      case 'resource': {
        const { resource } = block;
        parts.push(
          'text' in resource && typeof resource.text === 'string'
            ? resource.text
            : `[resource ${resource.uri}${resource.mimeType ? `, ${resource.mimeType}` : ''}]`,
        );
        break;
      }
      case 'resource_link':
        parts.push(`[resource ${block.uri}${block.name ? ` (${block.name})` : ''}]`);
        break;
      default:
        parts.push(`[${(block as { type: string }).type} content]`);
    }
  }
  const text =
    parts.length === 0 && result.structuredContent !== undefined
      ? JSON.stringify(result.structuredContent)
      : parts.join('\n');
  return cut(text, maxChars);
}

function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[… cut: the tool returned ${text.length.toLocaleString('en-US')} characters; the first ${maxChars.toLocaleString('en-US')} are shown]`;
}

/** The size of base64 `data` once decoded. */
function approximateBytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}
