import { readFileSync } from 'node:fs';
import { openFileStore, traced, withSpan } from '../../../index.js';
import { BatchSpanProcessor, createSessionFileExporter } from '../../../lib/extend/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const OPENAI_KEY = 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';
const ANTHROPIC_KEY = 'sk-ant-api03-ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210';
const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl';

test('secrets captured with capture: full never reach any file written by the file store or session files', async () => {
  const store = freshStore();
  const dir = tempDir();
  const fileStore = await openFileStore({ dir, flushOnExit: false });
  const sessions = createSessionFileExporter({ dir: `${dir}/sessions`, flushOnExit: false });
  const toFiles = new BatchSpanProcessor(fileStore, { flushOnExit: false }).attach(store);
  const toSessions = new BatchSpanProcessor(sessions, { flushOnExit: false }).attach(store);

  const chat = traced(
    async (request: { headers: Record<string, string>; prompt: string }) => ({
      text: `echo ${request.prompt}`,
      debug: `called with ${BEARER}`,
    }),
    { name: 'chat', kind: 'llm', capture: 'full' },
  );
  const broken = traced(
    async () => {
      throw new Error(`auth failed for key ${OPENAI_KEY}`);
    },
    { name: 'broken', kind: 'llm', capture: 'full' },
  );
  await withSpan('s', { kind: 'session' }, async () => {
    const reply = await chat({
      headers: { Authorization: BEARER, 'x-api-key': ANTHROPIC_KEY },
      prompt: `my key is ${OPENAI_KEY} and ${ANTHROPIC_KEY}`,
    });
    expect(reply.text).toContain(OPENAI_KEY); // the program itself gets its own data untouched
    await expect(broken()).rejects.toThrow(OPENAI_KEY);
  });
  await toFiles.shutdown();
  await toSessions.shutdown();

  const files = listFilesDeep(dir);
  expect(files.some((f) => f.includes('/spans/'))).toBe(true);
  expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
  const all = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  expect(all).toContain('[REDACTED]'); // content was captured, and masked
  for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, BEARER, 'sk-proj-AbCdEf', 'sk-ant-api03', 'eyJhbGciOiJIUzI1NiJ9']) {
    expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
  }
});
