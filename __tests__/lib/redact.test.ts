import { configure, redactText, redactValue, REDACTED, traced } from '../../index.js';
import { createRedactor } from '../../lib/extend/index.js';
import { freshStore } from '../helpers/fresh-store.js';

const SECRETS: Record<string, string> = {
  'OpenAI key': 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD',
  'OpenAI project key': 'sk-proj-Abc123_def456-GHI789jkl012MNO345pqr678',
  'Anthropic key': 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefgh',
  'AWS access key id': 'AKIAIOSFODNN7EXAMPLE',
  'Google API key': 'AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1v',
  'GitHub token': 'ghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ',
};

beforeAll(() => freshStore());
afterEach(() => configure({ redaction: {} }));

describe('redaction', () => {
  it.each(Object.entries(SECRETS))('masks an %s inside text', (_kind, secret) => {
    const out = redactText(`config: using ${secret} for this call`);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('config: using ')).toBe(true);
  });

  it('masks bearer tokens, Authorization headers and key=value forms', () => {
    const text = [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature',
      'curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA=="',
      'https://api.example.com/v1?api_key=abcdef123456&x=1',
      'OPENAI_API_KEY=not-a-standard-format-key',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ].join('\n');
    const out = redactText(text);
    for (const secret of ['eyJhbGciOiJIUzI1NiJ9', 'dXNlcjpwYXNzd29yZA', 'abcdef123456', 'not-a-standard-format-key', 'wJalrXUtnFEMI']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('api_key=[REDACTED]&x=1');
  });

  it('leaves ordinary text alone', () => {
    const text = 'task-1234567890abcdefghij finished with max_tokens: 1024 and 3 tokens left';
    expect(redactText(text)).toBe(text);
  });

  it('masks values under secret-looking keys, whatever they hold', () => {
    const out = redactValue({
      apiKey: 'x',
      headers: { 'x-api-key': 'short', Authorization: 'whatever', cookie: 'a=b', 'x-custom-key': 'k1', 'Ocp-Apim-Subscription-Key': 'k2' },
      key: 'k3',
      monkey: 'not a key',
      client_secret: 1234,
      github_token: 'abc',
      max_tokens: 100,
      nested: [{ password: 'hunter2' }],
    });
    expect(out).toEqual({
      apiKey: REDACTED,
      headers: { 'x-api-key': REDACTED, Authorization: REDACTED, cookie: REDACTED, 'x-custom-key': REDACTED, 'Ocp-Apim-Subscription-Key': REDACTED },
      key: REDACTED,
      monkey: 'not a key',
      client_secret: REDACTED,
      github_token: REDACTED,
      max_tokens: 100,
      nested: [{ password: REDACTED }],
    });
  });

  it('applies user patterns (global or not) after the defaults', () => {
    const redactor = createRedactor({ patterns: [/\bEMP-\d{6}\b/, /(ssn=)\d{3}-\d{2}-\d{4}/g] });
    const out = redactText('EMP-123456 and EMP-654321, ssn=123-45-6789, key sk-abcdefghijklmnopqrstuvwx', redactor);
    expect(out).toBe(`${REDACTED} and ${REDACTED}, ssn=${REDACTED}, key ${REDACTED}`);
  });

  it('calls the user mask with each string and its path', () => {
    const paths: string[] = [];
    const redactor = createRedactor({
      mask: (value, path) => {
        paths.push(path);
        return path.endsWith('.email') ? '<email>' : value;
      },
    });
    const out = redactValue({ user: { email: 'a@b.c', name: 'Ann' }, list: ['x'] }, redactor, 'request');
    expect(out).toEqual({ user: { email: '<email>', name: 'Ann' }, list: ['x'] });
    expect(paths.sort()).toEqual(['request.list.0', 'request.user.email', 'request.user.name']);
  });

  it('fails closed when the mask throws', () => {
    const redactor = createRedactor({
      mask: () => {
        throw new Error('mask bug');
      },
    });
    expect(redactText('anything', redactor)).toBe(REDACTED);
  });

  it('applies configured patterns and mask to captured content and error messages', async () => {
    const store = freshStore();
    configure({
      capture: 'full',
      redaction: { patterns: [/\bEMP-\d{6}\b/g], mask: (value, path) => (path === 'error.message' ? value.toUpperCase() : value) },
    });
    const call = traced(async (prompt: string, key: string) => ({ echo: `${prompt} ${key}` }), { name: 'ask' });
    await call('employee EMP-123456', 'sk-abcdefghijklmnopqrstuvwxyz');
    const failing = traced(
      async () => {
        throw new Error('rejected key sk-ant-api03-secretsecretsecret for EMP-999999');
      },
      { name: 'fail' },
    );
    await expect(failing()).rejects.toThrow('EMP-999999');
    configure({ capture: 'metadata' });
    const serialised = JSON.stringify(store.getRecent(2));
    for (const secret of ['EMP-123456', 'sk-abcdefghijklmnopqrstuvwxyz', 'EMP-999999', 'secretsecret']) {
      expect(serialised).not.toContain(secret);
    }
    const [failedSpan, okSpan] = store.getRecent(2);
    expect(failedSpan!.error!.message).toBe(`REJECTED KEY ${REDACTED} FOR ${REDACTED}`);
    expect(JSON.stringify(okSpan!.attributes)).toContain(`employee ${REDACTED}`);
  });

  it('rejects bad options with precise TypeErrors', () => {
    expect(() => configure({ redaction: { patterns: ['sk-'] as never } })).toThrow(
      'llmtrace: configure: redaction.patterns[0] must be a RegExp, got "sk-" (string)',
    );
    expect(() => configure({ redaction: { mask: 'x' as never } })).toThrow('llmtrace: configure: redaction.mask must be a function, got "x" (string)');
  });
});
