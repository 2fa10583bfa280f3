export {
  defineTool,
  type JsonSchemaObject,
  type JsonToolDefinition,
  type ZodToolDefinition,
} from './define-tool.js';
