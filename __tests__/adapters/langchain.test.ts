/**
 * llmtrace/langchain with the real `@langchain/core` and `@langchain/openai` packages against the
 * offline model server on 127.0.0.1: chains, chat model calls (tokens equal to LangChain's own
 * `usage_metadata`), streaming TTFT, tools, retrievers and errors as nested spans.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { z } from 'zod';
import { LANGGRAPH_NODE, LLMTraceCallbackHandler, langchainCallbacks, RETRIEVAL_DOCUMENTS } from '../../adapters/langchain/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { GenAI, LLMTrace, withSpan, type Span, type TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

let server: OfflineModelServer;
let store: TraceStore;

/** How long the role-first server waits between its role-only first chunk and the first content. */
const FIRST_CONTENT_DELAY_MS = 120;
/** The content deltas the role-first server streams: text, or (`x-test-stream: tool`) one tool call in pieces. */
const CONTENT_DELTAS = {
  text: [{ content: 'Hello' }, { content: ' there' }, { content: '!' }],
  tool: [
    { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
  ],
};

/**
 * A loopback OpenAI chat completions server that streams as OpenAI does: the role-only first chunk
 * at once, the content deltas after FIRST_CONTENT_DELAY_MS, then the finish chunk and the usage chunk.
 */
async function startRoleFirstServer(): Promise<{ url: string; close(): Promise<void> }> {
  const roleFirst: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const kind = req.headers['x-test-stream'] === 'tool' ? 'tool' : 'text';
      const base = { id: 'chatcmpl-rf1', object: 'chat.completion.chunk', created: 1_730_241_104, model: 'gpt-4o-mini-2024-07-18' };
      const send = (choices: unknown[], extra: object = {}) => res.write(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      send([{ index: 0, delta: { role: 'assistant', content: kind === 'text' ? '' : null }, finish_reason: null }]);
      setTimeout(() => {
        for (const delta of CONTENT_DELTAS[kind]) send([{ index: 0, delta, finish_reason: null }]);
        send([{ index: 0, delta: {}, finish_reason: kind === 'text' ? 'stop' : 'tool_calls' }]);
        send([], { usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
        res.end('data: [DONE]\n\n');
      }, FIRST_CONTENT_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => roleFirst.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(roleFirst.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => roleFirst.close(() => resolve())),
  };
}

function chat(options: { streaming?: boolean; maxRetries?: number; headers?: Record<string, string> } = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'sk-offline-test-0123456789',
    temperature: 0.1,
    maxRetries: options.maxRetries ?? 0,
    streaming: options.streaming ?? false,
    streamUsage: true,
    configuration: { baseURL: `${server.url}/v1`, defaultHeaders: options.headers, fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init) },
  });
}

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

async function settle(): Promise<void> {
  await awaitAllCallbacks();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

class FixedRetriever extends BaseRetriever {
  override lc_namespace = ['test'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [new Document({ pageContent: `about ${query}` }), new Document({ pageContent: 'more' })];
  }
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 9, latencyMs: 5, ttftMs: 15, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

describe('LLMTraceCallbackHandler', () => {
  it('nests a prompt | model | parser chain: a chain span with the chat model as an llm span carrying its tokens', async () => {
    const handler = new LLMTraceCallbackHandler();
    const chain = ChatPromptTemplate.fromTemplate('Tell me about {topic}').pipe(chat()).pipe(new StringOutputParser());
    let usage: { input_tokens: number; output_tokens: number } | undefined;
    const model = chat();
    const message = await model.invoke('Hello', { callbacks: [handler] });
    usage = message.usage_metadata;
    const answer = await chain.invoke({ topic: 'tracing' }, { callbacks: [handler] });
    await settle();
    expect(answer.length).toBeGreaterThan(0);
    const llm = spans('llm');
    expect(llm).toHaveLength(2);
    const direct = llm[0]!.attributes;
    expect(llm[0]!.name).toBe('ChatOpenAI');
    expect(direct[GenAI.PROVIDER_NAME]).toBe('openai');
    expect(direct[GenAI.REQUEST_MODEL]).toBe('gpt-4o-mini');
    expect(direct[GenAI.REQUEST_TEMPERATURE]).toBe(0.1);
    expect(direct[GenAI.USAGE_INPUT_TOKENS]).toBe(usage!.input_tokens);
    expect(direct[GenAI.USAGE_OUTPUT_TOKENS]).toBe(usage!.output_tokens);
    expect(direct[GenAI.RESPONSE_MODEL]).toBe(message.response_metadata.model_name);
    expect(typeof direct[LLMTrace.COST_USD]).toBe('number');
    const [sequence] = spans('chain').filter((s) => s.parentId === undefined);
    expect(sequence!.name).toBe('RunnableSequence');
    const children = spans().filter((s) => s.parentId === sequence!.id).map((s) => s.name);
    expect(children).toEqual(['ChatPromptTemplate', 'ChatOpenAI', 'StrOutputParser']);
    expect(llm[1]!.parentId).toBe(sequence!.id);
    expect(sequence!.attributes[LLMTrace.USAGE_IN_CHILDREN]).toBe(true);
    expect(handler.openRuns).toBe(0);
  });

  it('records streaming time to first token, tools and retrievers, inside the llmtrace span around them', async () => {
    const weather = tool(async ({ city }: { city: string }) => `sunny in ${city}`, {
      name: 'weather',
      description: 'Weather of a city',
      schema: z.object({ city: z.string() }),
    });
    const callbacks = langchainCallbacks();
    await withSpan('turn', async () => {
      const stream = await chat({ streaming: true }).stream('Stream please', { callbacks });
      for await (const _chunk of stream) void _chunk;
      await weather.invoke({ city: 'Paris' }, { callbacks });
      await new FixedRetriever().invoke('tracing', { callbacks });
    });
    await settle();
    const [turn] = spans().filter((s) => s.name === 'turn');
    const [llm] = spans('llm');
    expect(llm!.parentId).toBe(turn!.id);
    expect(llm!.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
    expect(llm!.attributes[LLMTrace.STREAM_CHUNKS]).toBeGreaterThan(0);
    expect(llm!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBeGreaterThan(0);
    expect(llm!.attributes[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    const [toolSpan] = spans('tool');
    expect(toolSpan!.name).toBe('weather');
    expect(toolSpan!.parentId).toBe(turn!.id);
    expect(toolSpan!.attributes['gen_ai.tool.name']).toBe('weather');
    const [retrieval] = spans('retrieval');
    expect(retrieval!.attributes[RETRIEVAL_DOCUMENTS]).toBe(2);
    expect(retrieval!.parentId).toBe(turn!.id);
  });

  it('times the first token from the first content, not the empty token of the role-only first chunk; counts only content chunks', async () => {
    const roleFirst = await startRoleFirstServer();
    try {
      const model = (headers: Record<string, string>) => new ChatOpenAI({
        model: 'gpt-4o-mini', apiKey: 'sk-offline-test-0123456789', maxRetries: 0, streaming: true, streamUsage: true,
        configuration: { baseURL: `${roleFirst.url}/v1`, defaultHeaders: headers },
      });
      for await (const _chunk of await model({}).stream('Hi', { callbacks: langchainCallbacks() })) void _chunk;
      const weather = { type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
      for await (const _chunk of await model({ 'x-test-stream': 'tool' }).bindTools([weather]).stream('Weather?', { callbacks: langchainCallbacks() })) void _chunk;
      await settle();
    } finally {
      await roleFirst.close();
    }
    const [text, toolCall] = spans('llm');
    for (const span of [text!, toolCall!]) {
      expect(span.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThanOrEqual(FIRST_CONTENT_DELAY_MS - 5);
      expect(span.attributes[LLMTrace.STREAM_CHUNKS]).toBe(3); // the content deltas only
      expect(span.attributes[LLMTrace.STREAM_END]).toBe('completed');
      expect(span.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(3);
    }
    expect(toolCall!.attributes[GenAI.RESPONSE_FINISH_REASONS]).toEqual(['tool_calls']);
  });

  it('records a failing model call and the chain it failed as errors, with the HTTP status', async () => {
    const handler = new LLMTraceCallbackHandler();
    const failing = RunnableLambda.from(async (q: string) => q).pipe(chat({ headers: { 'x-offline-fault': '500' } }));
    await expect(failing.invoke('boom', { callbacks: [handler] })).rejects.toThrow();
    await settle();
    const [llm] = spans('llm');
    expect(llm!.status).toBe('error');
    expect(llm!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(500);
    const [sequence] = spans('chain').filter((s) => s.parentId === undefined);
    expect(sequence!.status).toBe('error');
    expect(llm!.parentId).toBe(sequence!.id);
    expect(handler.openRuns).toBe(0);
  });

  it('gives a LangGraph graph span with a span per node, and the chat model call inside its node', async () => {
    const State = Annotation.Root({ question: Annotation<string>(), answer: Annotation<string>() });
    const model = chat();
    const graph = new StateGraph(State)
      .addNode('rewrite', async (state: typeof State.State) => ({ question: `${state.question}?` }))
      .addNode('respond', async (state: typeof State.State) => ({ answer: String((await model.invoke(state.question)).content) }))
      .addEdge(START, 'rewrite')
      .addEdge('rewrite', 'respond')
      .addEdge('respond', END)
      .compile();
    const handler = new LLMTraceCallbackHandler();
    const out = await graph.invoke({ question: 'What is tracing' }, { callbacks: [handler] });
    await settle();
    expect(out.answer.length).toBeGreaterThan(0);
    const all = spans();
    const root = all.find((s) => s.parentId === undefined)!;
    expect(root.name).toBe('LangGraph');
    const nodes = all.filter((s) => s.parentId === root.id && s.attributes[LANGGRAPH_NODE] !== undefined);
    expect(nodes.map((s) => s.name)).toEqual(['__start__', 'rewrite', 'respond']);
    const [llm] = spans('llm');
    expect(llm!.attributes[LANGGRAPH_NODE]).toBe('respond');
    let ancestor = all.find((s) => s.id === llm!.parentId);
    while (ancestor && ancestor.name !== 'respond') ancestor = all.find((s) => s.id === ancestor!.parentId);
    expect(ancestor?.parentId).toBe(root.id);
    expect(llm!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBeGreaterThan(0);
    expect(handler.openRuns).toBe(0);
  });

  it('rejects a bad option at construction, naming it', () => {
    expect(() => new LLMTraceCallbackHandler({ context: 5 as unknown as string })).toThrow(/context/);
    expect(() => new LLMTraceCallbackHandler({ capure: 'full' } as never)).toThrow(/unknown option "capure", did you mean "capture"/);
  });
});
