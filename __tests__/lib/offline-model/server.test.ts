/**
 * The offline model server: seeded answers repeat, header overrides, injected faults, option checks.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startOfflineModelServer, type OfflineModelServer } from '../../../lib/offline-model/index.js';

const servers: OfflineModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startOfflineModelServer>[0]): Promise<OfflineModelServer> {
  const server = await startOfflineModelServer(options);
  servers.push(server);
  return server;
}

function chat(server: OfflineModelServer, headers: Record<string, string> = {}, extra: object = {}): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello world' }], ...extra }),
  });
}

describe('startOfflineModelServer', () => {
  it('listens on 127.0.0.1 and answers the same way for the same seed', async () => {
    const a = await start({ seed: 42, latencyMs: 0 });
    const b = await start({ seed: 42, latencyMs: 0 });
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [x, y] = await Promise.all([chat(a).then((r) => r.json()), chat(b).then((r) => r.json())]);
    const content = (r: unknown): string => (r as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    expect(content(x)).toBe(content(y));
    expect(a.stats.requests).toBe(1);
    expect(a.stats.byRoute['POST /v1/chat/completions']).toBe(1);
  });

  it('streams one SSE chunk per token and a usage chunk when asked', async () => {
    const server = await start({ latencyMs: 0, ttftMs: 0, tokensPerSecond: 2000 });
    const text = await (await chat(server, { 'x-offline-output-tokens': '4' }, { stream: true, stream_options: { include_usage: true } })).text();
    const events = text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { delta: { content?: string } }[]; usage?: { completion_tokens: number } });
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(4);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBe(4);
  });

  it('streams the Responses API event sequence with sequence numbers and the usage in response.completed', async () => {
    const server = await start({ latencyMs: 0, ttftMs: 0, tokensPerSecond: 2000 });
    const res = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-offline-output-tokens': '3' },
      body: JSON.stringify({ model: 'm', input: 'hello world', stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const messages = (await res.text()).split('\n\n').filter(Boolean).map((m) => {
      const [eventLine, dataLine] = m.split('\n');
      return { event: eventLine!.replace(/^event: /, ''), data: JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown> };
    });
    expect(messages.map((m) => m.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(messages.map((m) => m.data.type)).toEqual(messages.map((m) => m.event));
    expect(messages.map((m) => m.data.sequence_number)).toEqual(messages.map((_, i) => i));
    const deltas = messages.filter((m) => m.event === 'response.output_text.delta').map((m) => m.data.delta as string);
    const done = messages.find((m) => m.event === 'response.output_text.done')!.data.text;
    expect(deltas.join('')).toBe(done);
    const completed = messages.at(-1)!.data.response as { status: string; usage: { input_tokens: number; output_tokens: number } };
    expect(completed.status).toBe('completed');
    expect(completed.usage.output_tokens).toBe(3);
    expect(completed.usage.input_tokens).toBeGreaterThan(0);
    expect(server.stats.outputTokens).toBe(3);
  });

  it('injects 429 with retry-after, 500, and fault-times for one key only', async () => {
    const server = await start({ latencyMs: 0, retryAfterMs: 2500 });
    const limited = await chat(server, { 'x-offline-fault': '429' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('retry-after-ms')).toBe('2500');
    expect(((await limited.json()) as { error: { type: string } }).error.type).toBe('rate_limit_exceeded');
    expect((await chat(server, { 'x-offline-fault': '500' })).status).toBe(500);
    const once = { 'x-offline-fault': '500', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'k' };
    expect((await chat(server, once)).status).toBe(500);
    expect((await chat(server, once)).status).toBe(200);
    expect(server.stats.faults).toEqual({ '429': 1, '500': 2, drop: 0 });
  });

  it('drops the connection when told to', async () => {
    const server = await start({ latencyMs: 0 });
    await expect(chat(server, { 'x-offline-fault': 'drop' })).rejects.toThrow();
    expect(server.stats.faults.drop).toBe(1);
  });

  it('draws random faults at the configured rate, repeatably', async () => {
    const run = async (): Promise<number[]> => {
      const server = await start({ seed: 7, latencyMs: 0, errorRate: 0.5, faults: ['500'] });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await chat(server)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
  });

  it('speaks Anthropic and Ollama shapes', async () => {
    const server = await start({ latencyMs: 0, ttftMs: 0, tokensPerSecond: 2000, outputTokens: 3 });
    const message = (await (
      await fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'c', max_tokens: 9, messages: [] }) })
    ).json()) as { type: string; usage: { output_tokens: number } };
    expect(message.type).toBe('message');
    expect(message.usage.output_tokens).toBe(3);
    const lines = (await (await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'l', messages: [] }) })).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { done: boolean; eval_count?: number });
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({ done: true, eval_count: 3 });
    expect((await fetch(`${server.url}/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('rejects bad options with a TypeError naming the option', async () => {
    await expect(startOfflineModelServer({ errorRate: 2 })).rejects.toThrow(/errorRate must be a number from 0 to 1, got 2 \(number\)/);
    await expect(startOfflineModelServer({ ttftMs: -1 })).rejects.toThrow(/ttftMs must be a non-negative number/);
    await expect(startOfflineModelServer({ faults: ['404' as never] })).rejects.toThrow(/faults\[0\] must be '429', '500' or 'drop', got "404" \(string\)/);
    await expect(startOfflineModelServer({ outputTokens: [5, 2] })).rejects.toThrow(/outputTokens/);
  });
});
