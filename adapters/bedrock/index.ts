/**
 * `llmtrace/bedrock`: tracing for the AWS SDK's Bedrock Runtime client
 * (`@aws-sdk/client-bedrock-runtime`): `Converse`, `ConverseStream` and `InvokeModel`.
 * Depends on the SDK's shapes only; it never imports the SDK at run time.
 */
export { instrumentBedrock } from './wrap.js';
export {
  BEDROCK_COMMANDS,
  BEDROCK_PROVIDER,
  bedrockCommandOf,
  bedrockOutputResult,
  bedrockRequestAttributes,
  converseStreamEventResult,
  type BedrockCommandName,
} from './parse.js';
export type { AdapterOptions } from '../internal/adapter-options.js';
