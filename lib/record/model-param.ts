/**
 * Finding the model a call asks for, from its arguments: a named or numbered parameter, a `model`
 * field of an options-object argument, `this.model`, or the parameter's default value in the
 * function's source (`model = 'mistral:latest'`). Parameter names are read once, at wrap time; an
 * async method compiled by TypeScript for ES2015/ES2016 (`__awaiter`) is read through the generator
 * that holds its parameters and body.
 */
import { warnOnce } from '../internal/diagnostics.js';

/** A parameter's name and its literal string default, if it has one. */
interface Parameter {
  name: string;
  defaultValue?: string;
}

/** A one-parameter arrow function written without parentheses: `x => ...`, `async x => ...`. */
const BARE_ARROW = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/;

/**
 * The parameter list that starts at `source[open]` (an opening parenthesis), split at top-level
 * commas. Skips brackets, string literals and comments; undefined when the list never closes.
 */
function scanParameterList(source: string, open: number): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let part = '';
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (quote) {
      if (ch === '\\') part += ch + (source[++i] ?? '');
      else {
        if (ch === quote) quote = '';
        part += ch;
      }
      continue;
    }
    if (ch === '/' && (source[i + 1] === '*' || source[i + 1] === '/')) {
      const end = source[i + 1] === '*' ? source.indexOf('*/', i + 2) + 1 : source.indexOf('\n', i);
      if (end <= 0) return undefined;
      i = end;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch) && depth++ === 0) continue;
    else if (')]}'.includes(ch) && --depth === 0) {
      parts.push(part);
      return parts.map((p) => p.trim()).filter((p) => p !== '');
    } else if (ch === ',' && depth === 1) {
      parts.push(part);
      part = '';
      continue;
    }
    part += ch;
  }
  return undefined;
}

/**
 * The body of an async function as TypeScript compiles it below ES2017: the outer function passes
 * its `arguments` to a generator that declares the parameters as written (`model = 'gpt-4o-mini'`
 * included, which the outer list leaves out), so the generator's list is the one to read.
 */
const AWAITER = /\{\s*return\s+__awaiter\(this,\s*arguments,\s*void 0,\s*function\*\s*\(/;

/** The parameter list of `fn` as written in its source (best effort; [] when unreadable). */
export function readParameters(fn: Function): Parameter[] {
  const source = Function.prototype.toString.call(fn);
  const bare = BARE_ARROW.exec(source);
  if (bare) return [{ name: bare[1]! }];
  const awaiter = AWAITER.exec(source);
  const open = awaiter ? awaiter.index + awaiter[0].length - 1 : source.indexOf('(');
  const parts = open < 0 ? undefined : scanParameterList(source, open);
  if (!parts) return [];
  return parts.map((part) => {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).replace(/^\.\.\./, '').trim();
    const literal = eq < 0 ? undefined : /^\s*(['"`])([^'"`]*)\1\s*$/.exec(part.slice(eq + 1));
    return literal ? { name, defaultValue: literal[2] } : { name };
  });
}

function field(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** Resolves the requested model of one call. */
export type ModelResolver = (thisArg: unknown, args: readonly unknown[]) => string | undefined;

/**
 * Builds the resolver for `fn`. `modelParam` names a parameter or gives its index; without it a
 * parameter named `model` is used when there is one. Order: the argument, the parameter's literal
 * default when the argument is omitted, a field of an object argument, `this`. A name that is not a parameter is looked up
 * as a field of object arguments and of `this` (as `model` always is).
 * @throws TypeError when `modelParam` is neither a non-empty string nor a non-negative integer.
 */
export function createModelResolver(fn: Function, modelParam: string | number | undefined): ModelResolver {
  if (
    modelParam !== undefined &&
    !(typeof modelParam === 'string' && modelParam !== '') &&
    !(typeof modelParam === 'number' && Number.isInteger(modelParam) && modelParam >= 0)
  ) {
    throw new TypeError(
      `llmtrace: modelParam must be a parameter name or a non-negative index, got ${String(modelParam)} (${typeof modelParam})`,
    );
  }
  const params = readParameters(fn);
  const key = typeof modelParam === 'string' ? modelParam : 'model';
  const index = typeof modelParam === 'number' ? modelParam : params.findIndex((p) => p.name === key);
  const fallback = index >= 0 ? params[index]?.defaultValue : undefined;
  const resolve: ModelResolver = (thisArg, args) => {
    if (index >= 0) {
      const value = args[index];
      if (typeof value === 'string' && value !== '') return value;
      if (value === undefined && fallback !== undefined) return fallback;
    }
    for (const arg of args) {
      const found = field(arg, key) ?? (key === 'model' ? undefined : field(arg, 'model'));
      if (found) return found;
    }
    return field(thisArg, key) ?? field(thisArg, 'model');
  };
  if (typeof modelParam !== 'string' || index >= 0) return resolve;
  // A modelParam naming no parameter that finds no field either is most likely a typo (`'modle'`): said once per function.
  const name = fn.name || 'anonymous';
  return (thisArg, args) => {
    const model = resolve(thisArg, args);
    if (model === undefined) {
      warnOnce(`model-param.not-found:${name}:${String(modelParam)}`, `llmtrace: modelParam ${JSON.stringify(modelParam)} of ${name} found no model: name one of its parameters (${params.map((p) => p.name).join(', ') || 'none read'}) or give its index`, {
        function: name,
        modelParam,
      });
    }
    return model;
  };
}
