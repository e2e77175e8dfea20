/**
 * The dashboard's security model in one place (see docs/dashboard.md#security): the headers every
 * answer carries (a content security policy that allows nothing but this origin, so no request can
 * leave the machine and no injected script can run), loopback detection, the random access token a
 * non-loopback bind requires, and the Host check that keeps a loopback dashboard from being read
 * through DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The Content-Security-Policy of every answer: this origin only, no inline script, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Name of the cookie that carries the access token after the first visit. */
export const TOKEN_COOKIE = 'llmtrace_token';

/** Whether `host` names this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A fresh random access token (128 bits, hex). */
export function newAccessToken(): string {
  return randomBytes(16).toString('hex');
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

/** How a request's access token was given: in the URL (`?token=`), by cookie, or not (or wrongly). */
export function tokenOf(req: IncomingMessage, url: URL, token: string): 'url' | 'cookie' | undefined {
  if (sameToken(url.searchParams.get('token'), token)) return 'url';
  if (sameToken(cookieToken(req), token)) return 'cookie';
  return undefined;
}

/** Whether the Host header names a loopback address (a rebinding attack sends the attacker's name). */
export function hostHeaderIsLoopback(req: IncomingMessage): boolean {
  const host = req.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return isLoopbackHost(name);
}
