/**
 * Synthetic secrets, one per format redaction must cover (secretlint's recommended preset plus JWTs,
 * Google OAuth, Azure, URL credentials). Built from repeated filler so no real credential is in the
 * repo; each has the shape, prefix and length of the real thing. `needle` is what must never be
 * found in any output (the part after a kept prefix such as `postgres://`).
 */

/** A filler of `n` alphanumerics that looks random enough (mixed case and digits). */
export function filler(n: number, alphabet = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY'): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[(i * 7 + 3) % alphabet.length];
  return out;
}

const HEX = '0123456789abcdef';
const PEM_BODY = Array.from({ length: 6 }, (_, i) => `MII${filler(61).slice(i)}${'A'.repeat(i)}`).join('\n');

/** One sample: the secret as it appears in text, and the part of it that must never be kept. */
export interface SecretSample {
  readonly text: string;
  readonly needle: string;
}

function sample(text: string, needle = text): SecretSample {
  return { text, needle };
}

/** Every covered format, by name. */
export const SECRET_SAMPLES: Record<string, SecretSample> = {
  'OpenAI key': sample(`sk-proj-${filler(58)}T3BlbkFJ${filler(58)}`),
  'OpenAI legacy key': sample(`sk-${filler(20)}T3BlbkFJ${filler(20)}`),
  'Anthropic key': sample(`sk-ant-api03-${filler(93, 'Zx9_Yw8-Vu7Ts6Rq5Po4Nm3')}AA`),
  'AWS access key id': sample('AKIAIOSFODNN7EXAMPLE'),
  'AWS secret access key': sample('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  'GCP service-account private key': sample(
    `"private_key": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n"`,
    PEM_BODY.split('\n')[2]!,
  ),
  'Google OAuth access token': sample(`ya29.a0${filler(60, 'Ab1_Cd2-Ef3Gh4')}`),
  'Google API key': sample(`AIzaSy${filler(33)}`),
  'GitHub classic token': sample(`ghp_${filler(36)}`),
  'GitHub OAuth token': sample(`gho_${filler(36)}`),
  'GitHub app token': sample(`ghs_${filler(36)}`),
  'GitHub fine-grained token': sample(`github_pat_11${filler(20)}_${filler(59)}`),
  'GitLab token': sample(`glpat-${filler(20)}`),
  'npm token': sample(`npm_${filler(36)}`),
  'Slack bot token': sample(`xoxb-1234567890-1234567890123-${filler(24)}`),
  'Slack webhook': sample(`https://hooks.slack.com/services/T0123ABCD/B0123EFGH/${filler(24)}`, `T0123ABCD/B0123EFGH/${filler(24)}`),
  'Stripe secret key': sample(`sk_live_${filler(24)}`),
  'Stripe restricted key': sample(`rk_live_${filler(24)}`),
  'SendGrid key': sample(`SG.${filler(22)}.${filler(43)}`),
  'Groq key': sample(`gsk_${filler(52)}`),
  'Vercel token': sample(`vcp_${filler(24)}`),
  'Hugging Face token': sample(`hf_${filler(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGH')}`),
  'Linear key': sample(`lin_api_${filler(40)}`),
  'Notion token': sample(`ntn_${'4'.repeat(11)}${filler(35)}`),
  'Shopify token': sample(`shpat_${filler(32, HEX)}`),
  'Grafana token': sample(`glsa_${filler(32)}_${filler(8, HEX)}`),
  'HashiCorp Vault token': sample(`hvs.${filler(95, 'Ab1_Cd2-Ef3Gh4')}`),
  'Databricks token': sample(`dapi${filler(32, HEX)}`),
  'Docker token': sample(`dckr_pat_${filler(27)}`),
  'Figma token': sample(`figd_${filler(40)}`),
  'Cloudflare token': sample(`cfut_${filler(40)}${filler(8, HEX)}`),
  'Tailscale key': sample(`tskey-auth-${filler(12)}-${filler(30)}`),
  'Azure client secret': sample(`abc8Q~${filler(34)}`),
  'Azure storage account key': sample(
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${filler(86)}==;EndpointSuffix=core.windows.net`,
    filler(86),
  ),
  'PEM private key': sample(`-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`, PEM_BODY.split('\n')[3]!),
  'HTTPS basic-auth URL': sample('https://admin:s3cr3t-Passw0rd@internal.example.com/api', 's3cr3t-Passw0rd'),
  'Postgres URL': sample('postgres://app_user:Pg-p4ssw0rd-xyz@db.internal:5432/prod', 'Pg-p4ssw0rd-xyz'),
  'MongoDB URL': sample('mongodb+srv://svc:M0ngo-pass-123@cluster0.example.net/db', 'M0ngo-pass-123'),
  'JWT': sample(
    `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0.${filler(43, 'Ab1_Cd2-Ef3Gh4')}`,
  ),
  'Bearer token': sample(`Authorization: Bearer ${filler(40)}`, filler(40)),
  'URL ?key= query': sample(`https://generativelanguage.example.com/v1/models?key=${filler(30)}&alt=sse`, filler(30)),
  'URL ?api_key= query': sample(`https://api.example.com/v1/search?q=cats&api_key=${filler(28)}`, filler(28)),
  'URL access_token query': sample(`https://graph.example.com/me?access_token=${filler(32)}`, filler(32)),
  'URL sig query (SAS)': sample(`https://acct.blob.core.windows.net/c/b.txt?sv=2024-01-01&sig=${filler(40)}%3D`, filler(40)),
  'key=value assignment': sample(`OPENAI_API_KEY=${filler(26)}`, filler(26)),
  'JSON password': sample(`{"password": "${filler(14)}"}`, filler(14)),
};

/**
 * Texts in which a secret follows an escape written out as text (a backslash and a letter, `\uXXXX`,
 * `%XX`), so the character before it is a letter or digit: SDK error messages that embed a JSON body,
 * URLs and query strings. Each wraps `secret` the way it reaches llmtrace.
 */
export const ESCAPED_CONTEXTS: Record<string, (secret: string) => string> = {
  'a JSON-escaped newline': (s) => `400 {"error":{"message":"Incorrect API key provided:\\n${s}"}}`,
  'a JSON-escaped tab': (s) => `{"detail":"header\\t${s}"}`,
  'a JSON-escaped carriage return': (s) => `line one\\r${s}`,
  'a JSON-escaped quote': (s) => `{"body":"{\\"key\\":\\"${s}\\"}"}`,
  'a \\u escape': (s) => `{"message":"key\\u0020${s}"}`,
  'a \\x escape': (s) => `b'\\x22${s}'`,
  'a %20 escape': (s) => `https://api.example.com/v1/search?q=hello%20${s}&page=2`,
  'a %22 escape': (s) => `?payload=%7B%22k%22%3A%22${s}%22%7D`,
  'a %3A escape': (s) => `?header=x-key%3A${s}`,
  'a double percent-encoded newline': (s) => `?q=line%250A${s}`,
  'a \\U escape': (s) => `"key\\U0000000A${s}"`,
  'a \\a escape': (s) => `bell\\a${s}`,
  'a \\e escape': (s) => `reset\\e${s}`,
  'a terminal colour sequence': (s) => `error: \x1b[1;31m${s}\x1b[0m`,
  'a terminal sequence written as text': (s) => `"error: \\u001b[1m${s}\\u001b[0m"`,
};
