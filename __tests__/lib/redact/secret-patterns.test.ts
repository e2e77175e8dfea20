import { applyPatterns, DEFAULT_SECRET_PATTERNS, maskPatterns, mayHoldDefaultSecret, REDACTED } from '../../../lib/redact/secret-patterns.js';
import { isSecretKey } from '../../../lib/redact/secret-keys.js';
import { ESCAPED_CONTEXTS, filler, SECRET_SAMPLES } from '../../helpers/secret-samples.js';
import { seededUniform } from '../../helpers/seeded-random.js';

const mask = (text: string): string => maskPatterns(text, DEFAULT_SECRET_PATTERNS);

describe('default secret patterns', () => {
  it.each(Object.entries(SECRET_SAMPLES))('mask a %s in prose, JSON and after a cut-off tail', (_name, { text, needle }) => {
    for (const context of [`see ${text} here`, JSON.stringify({ note: `value ${text}` }), `${text}`]) {
      const out = mask(context);
      expect(out).toContain(REDACTED);
      expect(out).not.toContain(needle);
    }
  });

  it('keep the scheme and host of a URL whose credentials they mask', () => {
    expect(mask('postgres://app:Pg-p4ssw0rd@db.internal:5432/prod')).toBe(`postgres://${REDACTED}@db.internal:5432/prod`);
    expect(mask('https://x-access-token:abc123def@github.com/o/r.git')).toBe(`https://${REDACTED}@github.com/o/r.git`);
  });

  it('keep the parameter name of a credential in a URL query', () => {
    expect(mask('GET /v1/models?key=AbCdEf123456&alt=sse')).toBe(`GET /v1/models?key=${REDACTED}&alt=sse`);
    expect(mask('?X-Amz-Credential=AKID%2F2024&X-Amz-Signature=abc123&ok=1')).toBe(
      `?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&ok=1`,
    );
  });

  it('mask a PEM block whole, even when its end was cut off', () => {
    const cut = `key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${filler(40)}`;
    expect(mask(cut)).toBe(`key: ${REDACTED}`);
  });

  it('mask a JWT echoed inside an SDK error body', () => {
    const jwt = SECRET_SAMPLES.JWT!.text;
    const body = `401 {"error":{"message":"invalid token ${jwt}","type":"invalid_request_error"}}`;
    expect(mask(body)).toBe(`401 {"error":{"message":"invalid token ${REDACTED}","type":"invalid_request_error"}}`);
  });

  it('leave prose, ids, hashes and counts alone', () => {
    const ordinary = [
      'The password reset page explains how to choose a secret: remember it and never share it.',
      'request 3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3 finished in 812 ms with max_tokens: 1024',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 and sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'risk-management-and-assessment plan; task-1234567890abcdefghij; the tokenizer splits 3 tokens',
      'https://example.com/search?q=llm+tracing&page=2#results',
      'See https://docs.example.com:8443/v1/guide for the 2024-01-15 release (build 20240115.3)',
      'input_tokens=120 output_tokens=48 cache_key=none',
      // The words the Bearer and Basic patterns start with, in prose.
      'It assumes a basic understanding of statistics, and BASIC programming for the appendix.',
      'Bearer instruments. The bearer bonds were redeemed; Basic Authentication is not used here.',
    ];
    for (const text of ordinary) expect(mask(text)).toBe(text);
  });

  it('mask an Authorization header credential whatever it looks like, keeping the scheme', () => {
    expect(mask('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(mask('{"authorization":"Basic abcdefghijkl"}')).toBe(`{"authorization":"${REDACTED}"}`); // a JSON value under a secret key
    expect(mask('curl -H "authorization=Token lowercaseonlytoken"')).toBe(`curl -H "authorization=Token ${REDACTED}"`);
  });
});

describe('default secret patterns after an escape', () => {
  it.each(Object.entries(ESCAPED_CONTEXTS))('mask every format right after %s', (_context, wrap) => {
    for (const [name, { text, needle }] of Object.entries(SECRET_SAMPLES)) {
      const out = mask(wrap(text));
      expect({ name, leak: out.includes(needle) }).toEqual({ name, leak: false });
    }
  });

  it('mask a key after a JSON-escaped newline and keep the text around it', () => {
    const key = SECRET_SAMPLES['OpenAI key']!.text;
    expect(mask(`{"message":"Incorrect API key provided:\\n${key}.\\nSee docs"}`)).toBe(
      `{"message":"Incorrect API key provided:\\n${REDACTED}.\\nSee docs"}`,
    );
    expect(mask(`?q=%20${key}&page=2`)).toBe(`?q=%20${REDACTED}&page=2`);
  });

  it('mask a Bearer or Basic credential whose space is escaped, or which follows an escape', () => {
    const token = filler(40);
    for (const text of [`Bearer%20${token}`, `Bearer\\u0020${token}`, `Bearer\\t${token}`, `\\nBearer ${token}`, `%22Basic%20${token}`]) {
      expect({ text, out: mask(text) }).toEqual({ text, out: expect.not.stringContaining(token) });
    }
  });

  it('mask a double-escaped key (JSON inside JSON)', () => {
    const key = SECRET_SAMPLES['Anthropic key']!.text;
    expect(mask(JSON.stringify({ body: JSON.stringify({ message: `bad key\n${key}` }) }))).not.toContain(key);
  });

  it('leave words that merely contain a prefix, and ordinary escaped text, alone', () => {
    const ordinary = [
      'task-force desk-top mask-1234567890abcdef task-1234567890abcdefghij risk-1234567890abcdefghij',
      'line one\\nline two\\ttab\\r\\nskip-this-line-1234567890abcdef',
      '{"text":"the desk-top\\nmask-1234567890abcdef\\u0020task-force"}',
      'https://example.com/search?q=task%20force%3Adesk-top%20risk-1234567890abcdefghij&page=2',
      'C:\\new\\table\\basic\\ghost_writer',
      'progress: 100%25 done%2C model gpt-4o-mini%20in 812 ms',
      '\\n3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3 %209fceb02d0ae598e95dc970b74767f19372d61af8',
    ];
    for (const text of ordinary) expect(mask(text)).toBe(text);
  });
});

describe('default secret patterns behind escapes they do not read', () => {
  const key = SECRET_SAMPLES['OpenAI key']!.text;
  const tail = key.slice(-16);

  it.each([
    ['a hyphen escaped inside the key', key.replace('sk-proj-', 'sk\\u002Dproj-')],
    ['a key percent-encoded whole', encodeURIComponent(key).replace(/-/g, '%2D')],
    ['a query string percent-encoded whole', `/proxy?u=%3Fkey%3D${filler(24)}%26alt%3Dsse`],
    ['a Bearer credential after an encoded tab', `Bearer%09${filler(40)}`],
    ['a key after an escape escaped twice', `{"body":"{\\\\u0022k\\\\u0022:\\\\u0022${key}"}`],
  ])('mask %s, returning the text decoded', (_case, text) => {
    const out = mask(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(tail);
    expect(out).not.toContain(filler(24).slice(-12));
  });

  it('mask a key percent-encoded four times, and a value assigned across written line breaks', () => {
    let encoded = key;
    for (let round = 0; round < 4; round++) encoded = encodeURIComponent(encoded).replace(/-/g, '%2D');
    expect(mask(`?u=${encoded}`)).not.toContain(tail);
    expect(mask('{"cfg":"password\\n=\\nhunter22hunter"}')).not.toContain('hunter22hunter');
  });

  it('mask a value assigned after a line break or tab written as an escape, keeping the escape', () => {
    expect(mask('{"env":"API_KEY=\\tabc123def456\\npassword:\\n  hunter2hunter2"}')).toBe(`{"env":"API_KEY=\\t${REDACTED}\\npassword:\\n  ${REDACTED}"}`);
  });

  it('keep the escapes of a text whose secrets the patterns found without decoding', () => {
    expect(mask(`{"message":"bad key:\\n${key}.\\nSee https://example.com/a%20b"}`)).toBe(
      `{"message":"bad key:\\n${REDACTED}.\\nSee https://example.com/a%20b"}`,
    );
  });

  it('leave text whose escapes hide nothing exactly as it was', () => {
    for (const text of ['C:\\Users\\sam\\app\\x.ts', '100% done, 50%2C then %ZZ and \\u12', '{"a":"line\\u000Anext\\U0001F600"}', '%C3%A9t%C3%A9 %FF']) {
      expect(mask(text)).toBe(text);
    }
  });
});

describe('secret keys', () => {
  it.each([
    'apiKey', 'api_key', 'API-KEY', 'x-api-key', 'X-Api-Key', 'authorization', 'Proxy-Authorization', 'token', 'accessToken',
    'refresh_token', 'password', 'PASSWORD', 'client_secret', 'secretKey', 'cookie', 'Set-Cookie', 'privateKey',
    'private_key_id', 'aws_access_key_id', 'Ocp-Apim-Subscription-Key', 'key', 'subscriptionKey', 'credentials', 'passphrase',
    'auth', 'proxy_auth', 'bearer',
  ])('%s is secret', (key) => expect(isSecretKey(key)).toBe(true));

  // The same names written in text (an error body, a log line): each form masks the value. Bare `key`
  // and `auth` are secret keys of objects only: in text they are everywhere in code (`const key = ...`).
  it.each([
    'api_key', 'apiKey', 'x-api-key', 'authorization', 'token', 'access_token', 'password', 'secret', 'client_secret', 'secretKey',
    'privateKey', 'private_key', 'private_key_id', 'access_key_id', 'credentials', 'subscriptionKey',
    'Ocp-Apim-Subscription-Key', 'passphrase', 'pwd', 'passwd',
  ])('%s is masked in text as "name": "value", name=value and name: value', (name) => {
    const value = 'ZZsecret0123456789abcdef';
    for (const text of [`{"${name}": "${value}"}`, `${name}=${value}`, `${name}: ${value}`, `headers: ${name}: ${value}; next`]) {
      expect({ text, out: mask(text) }).toEqual({ text, out: expect.not.stringContaining('ZZsecret') });
    }
  });

  it('masks a Cookie or Set-Cookie header whole, every cookie in it', () => {
    expect(mask('Cookie: theme=dark; sessionid=s3cr3tS3ss10n')).toBe(`Cookie: ${REDACTED}`);
    expect(mask('{"set-cookie": "session=abc123def456; Path=/; HttpOnly"}')).toBe(`{"set-cookie": "${REDACTED}"}`);
    expect(mask('GET / HTTP/1.1\r\nCookie: a=1; PHPSESSID=9f8e7d6c5b4a\r\nAccept: */*')).toBe(`GET / HTTP/1.1\r\nCookie: ${REDACTED}\r\nAccept: */*`);
  });

  it('masks the cookies on a curl command line, quoted, escaped in JSON or bare', () => {
    expect(mask('curl -b "theme=dark; SID=s3cr3tS3ss10n" https://api.example.com/v1')).toBe(`curl -b "${REDACTED}" https://api.example.com/v1`);
    expect(mask("curl --cookie 'SID=s3cr3tS3ss10n' -X POST")).toBe(`curl --cookie '${REDACTED}' -X POST`);
    expect(mask('curl --cookie=SID=s3cr3tS3ss10n https://x.test')).toBe(`curl --cookie=${REDACTED} https://x.test`);
    expect(mask('curl -b SID=s3cr3tS3ss10n https://x.test')).toBe(`curl -b ${REDACTED} https://x.test`);
    const json = JSON.stringify({ command: 'curl -b "a=1; SID=s3cr3tS3ss10n" https://x.test' });
    expect(JSON.parse(mask(json))).toEqual({ command: `curl -b "${REDACTED}" https://x.test` });
  });

  it('leaves curl cookie files and other -b flags alone', () => {
    for (const text of ['curl -b cookies.txt https://x.test', 'grep -b 5 file', 'git checkout -b feature/x', 'cmake -B build']) {
      expect(mask(text)).toBe(text);
    }
  });

  it('leaves code and prose that merely use key, auth or cookie as words alone', () => {
    for (const text of [
      'monkey=banana1234', 'oauth: enabled2024 flow', 'turnkey: solution-v2 rollout', 'const key = getKey();', '<li key={item.id}>',
      '{"key":"description"}', 'primary key=customer_id', 'auth=disabled in the config', 'document.cookie = "theme=dark"',
    ]) {
      expect(mask(text)).toBe(text);
    }
  });

  it.each([
    'monkey', 'max_tokens', 'gen_ai.usage.input_tokens', 'gen_ai.request.model', 'keyboard', 'tokens', 'llmtrace.function',
    'llmtrace.time_to_first_token_ms', 'author', 'description', 'oauth_flow', 'authors',
  ])('%s is not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('the quick secret test', () => {
  it.each(Object.entries(SECRET_SAMPLES))('never says no to a %s', (_name, { text }) => {
    expect(mayHoldDefaultSecret(text)).toBe(true);
  });

  it('never says no to a short text the default patterns would change (seeded fuzz over pieces of every format)', () => {
    const random = seededUniform(8);
    const pieces = [
      ...Object.values(SECRET_SAMPLES).flatMap(({ text }) => [text, text.slice(0, 12), text.slice(0, 40), text.slice(-20)]),
      ' ', ':', '=', '://', '@', '?', '&', '"', "'", '-', '_', '.', '/', 'key', 'token', 'Bearer ', 'Basic ', 'x', '42', 'Q~', filler(24),
      '\\', '\\n', '\\t', '\\u0020', '\\x22', '%20', '%3A', '%2', 'Bearer%20',
    ];
    // Copies of the patterns, so applyPatterns does not consult the quick test it is checked against.
    const ungated = DEFAULT_SECRET_PATTERNS.map((p) => new RegExp(p.source, p.flags));
    let checked = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const parts = 1 + Math.floor(random() * 6);
      for (let p = 0; p < parts; p++) text += pieces[Math.floor(random() * pieces.length)];
      if (text.length > 1024 || mayHoldDefaultSecret(text)) continue;
      checked++;
      expect({ text, masked: applyPatterns(text, ungated) }).toEqual({ text, masked: text });
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it.each(['\\n', '\\t', '\\r', '\\b', '\\f', '\\v', '\\0', '\\u0020', '\\x22', '%20', '%22', '%3A', '\x1b[1m', '\x1b[0;31m'])('never says no to a key right after %j', (escape) => {
    for (const [name, { text }] of Object.entries(SECRET_SAMPLES)) {
      const escaped = `x${escape}${text}`;
      expect({ name, maybe: mayHoldDefaultSecret(escaped), masked: mask(escaped) !== escaped }).toEqual({ name, maybe: true, masked: true });
    }
  });

  it('says no to model names, ids and plain words', () => {
    for (const text of ['gpt-4o-mini', 'claude-3-5-sonnet-20241022', 'chatcmpl-9xYzAbC123', '3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3', 'ask', 'stop', 'line\\nnext %20 done']) {
      expect(mayHoldDefaultSecret(text)).toBe(false);
    }
  });
});
