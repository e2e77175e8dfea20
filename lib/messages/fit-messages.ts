/**
 * JSON text of a message list within a byte cap that is still valid JSON: whole messages are kept
 * (the most recent ones of a prompt, the first choices of a result), and when even the nearest one
 * does not fit, its text is cut. Pure.
 */
import { capUtf8 } from '../cap-utf8.js';

type Obj = Record<string, unknown>;

/** The list as JSON text of at most `maxBytes` UTF-8 bytes, and whether anything was left out. */
export function fitMessages(items: readonly unknown[], maxBytes: number, keep: 'first' | 'last'): { json: string; truncated: boolean } {
  const texts = items.map((item) => JSON.stringify(item) ?? 'null');
  let total = 2; // the brackets
  const kept: string[] = [];
  for (let n = 0; n < texts.length; n++) {
    const text = texts[keep === 'last' ? texts.length - 1 - n : n]!;
    const add = Buffer.byteLength(text, 'utf8') + (kept.length > 0 ? 1 : 0);
    if (total + add > maxBytes) break;
    kept.push(text);
    total += add;
  }
  if (kept.length === texts.length) return { json: `[${texts.join(',')}]`, truncated: false };
  if (kept.length === 0 && items.length > 0) {
    const nearest = items[keep === 'last' ? items.length - 1 : 0];
    const shrunk = shrink(nearest, maxBytes - 2);
    return { json: shrunk === undefined ? '[]' : `[${shrunk}]`, truncated: true };
  }
  if (keep === 'last') kept.reverse();
  return { json: `[${kept.join(',')}]`, truncated: true };
}

/** The text fields a message or part carries: its own `content`, and its parts' `content`. */
function textHolders(item: Obj): Obj[] {
  const holders = typeof item.content === 'string' ? [item] : [];
  if (Array.isArray(item.parts)) {
    for (const part of item.parts) if (part !== null && typeof part === 'object' && typeof (part as Obj).content === 'string') holders.push(part as Obj);
  }
  return holders;
}

/** JSON of `item` with its texts cut so it fits `maxBytes`; undefined when even empty texts do not. */
function shrink(item: unknown, maxBytes: number): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const copy = structuredClone(item) as Obj;
  const holders = textHolders(copy);
  for (let attempt = 0; attempt < 4 && holders.length > 0; attempt++) {
    const json = JSON.stringify(copy);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes <= maxBytes) return json;
    const over = bytes - maxBytes;
    // Cut the longest text first; JSON escapes make a cut worth at least its own bytes.
    holders.sort((a, b) => (b.content as string).length - (a.content as string).length);
    const longest = holders[0]!;
    const text = longest.content as string;
    const keepBytes = Math.max(0, Buffer.byteLength(text, 'utf8') - over - 16 * (attempt + 1));
    longest.content = capUtf8(text, keepBytes).text;
  }
  const json = JSON.stringify(copy);
  if (Buffer.byteLength(json, 'utf8') <= maxBytes) return json;
  for (const holder of holders) holder.content = '';
  const emptied = JSON.stringify(copy);
  return Buffer.byteLength(emptied, 'utf8') <= maxBytes ? emptied : undefined;
}
