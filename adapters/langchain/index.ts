/**
 * `llmtrace/langchain`: tracing for LangChain.js and LangGraph.js through a callback handler.
 * Depends on LangChain's callback shapes only; it never imports LangChain at run time.
 */
export { LLMTraceCallbackHandler, langchainCallbacks, type LangChainHandlerOptions } from './handler.js';
export { LANGGRAPH_NODE, RETRIEVAL_DOCUMENTS, llmRunResult, modelRunAttributes, runName } from './parse.js';
