/**
 * `engines.node` is honest: it is no lower than what CommonJS users need to `require()` this ESM-only
 * package (20.19), every package the runtime dependency tree installs declares an `engines` range
 * that admits it (so a user on the lowest supported Node gets no EBADENGINE), every Node that CI
 * tests (scripts/tested-versions.json and the Node running this test) is inside it, and
 * docs/compatibility.md names each pinned version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers/build-for-children.js';

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

type Version = [number, number, number];

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const pkg = readJson<Manifest>(join(REPO_ROOT, 'package.json'));
const pins = readJson<{ node: Record<string, string> } & Record<string, Record<string, string>>>(join(REPO_ROOT, 'scripts', 'tested-versions.json'));
/** Every pinned package version of the SDK runs, as `name version`. */
const sdkPins = Object.entries(pins)
  .filter(([run]) => run !== 'node')
  .flatMap(([, packages]) => Object.entries(packages).map(([name, version]) => ({ name, version })));

function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map((part) => (part === '*' || part === 'x' ? 0 : Number(part)));
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `version` satisfies one comparator of an `engines` range (the forms npm packages use). */
function satisfiesComparator(comparator: string, version: Version): boolean {
  if (comparator === '*' || comparator === 'x' || comparator === '') return true;
  const match = /^(>=|<=|>|<|\^|~|=)?\s*v?(\d+)(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(comparator);
  if (!match) throw new Error(`engines range form not understood by this test: "${comparator}"`);
  const [, op = '', major, minor, patch] = match;
  const bound = parseVersion([major, minor ?? '0', patch ?? '0'].join('.'));
  const wildcard = minor === undefined || minor === 'x' || minor === '*' ? 1 : patch === undefined || patch === 'x' || patch === '*' ? 2 : 3;
  const order = compare(version, bound);
  switch (op) {
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    case '^':
      return order >= 0 && version[0] === bound[0];
    case '~':
      return order >= 0 && version[0] === bound[0] && version[1] === bound[1];
    default:
      return version.slice(0, wildcard).every((part, i) => part === bound[i]);
  }
}

/** Whether `version` satisfies an `engines.node` range (`||` alternatives of space-separated comparators). */
function satisfies(range: string, version: string): boolean {
  const parsed = parseVersion(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => satisfiesComparator(comparator, parsed)),
  );
}

/** The installed folder of `name` as seen from `from` (Node's resolution: nearest node_modules up). */
function installedFolder(name: string, from: string): string | undefined {
  for (let at = from; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (at === REPO_ROOT || dirname(at) === at) return undefined;
  }
}

/** Every package of the runtime dependency tree (dependencies and installed optional ones), once. */
function runtimeTree(): Manifest[] {
  const seen = new Map<string, Manifest>();
  const visit = (deps: Record<string, string>, from: string, optional: Set<string>): void => {
    for (const name of Object.keys(deps)) {
      const folder = installedFolder(name, from);
      if (!folder) {
        if (optional.has(name)) continue; // another platform's optional binary
        throw new Error(`${name} (needed from ${from}) is not installed`);
      }
      if (seen.has(folder)) continue;
      const manifest = readJson<Manifest>(join(folder, 'package.json'));
      seen.set(folder, manifest);
      const optionals = manifest.optionalDependencies ?? {};
      visit({ ...manifest.dependencies, ...optionals }, folder, new Set(Object.keys(optionals)));
    }
  };
  visit(pkg.dependencies ?? {}, REPO_ROOT, new Set());
  return [...seen.values()];
}

const range = pkg.engines?.node ?? '';
const lowest = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(range)?.[1];

describe('engines.node', () => {
  it('starts at 20.19, the first Node 20 where require() of an ES module works without a flag', () => {
    expect(lowest).toBeDefined();
    expect(satisfies(range, '20.18.3')).toBe(false);
    expect(satisfies(range, '20.19.0')).toBe(true);
  });

  it('is admitted by every package of the runtime dependency tree', () => {
    const tree = runtimeTree();
    expect(tree.length).toBeGreaterThan(pkg.dependencies ? Object.keys(pkg.dependencies).length : 0);
    const refusing = tree
      .filter((manifest) => manifest.engines?.node && !satisfies(manifest.engines.node, lowest!))
      .map((manifest) => `${manifest.name}@${manifest.version} (${manifest.engines!.node})`);
    expect(refusing).toEqual([]);
  });

  it('admits every Node that CI tests', () => {
    for (const version of [...Object.values(pins.node), process.versions.node]) expect([version, satisfies(range, version)]).toEqual([version, true]);
  });

  it('the range check itself tells a refusing range apart', () => {
    expect(satisfies('>=22', lowest!)).toBe(false);
    expect(satisfies('>=22.12.0', lowest!)).toBe(false);
    expect(satisfies('^20.19.0 || >=22.12.0', '22.1.0')).toBe(false);
    expect(satisfies('10.* || >= 12.*', lowest!)).toBe(true);
  });
});

describe('docs/compatibility.md', () => {
  it('names every version CI pins', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'compatibility.md'), 'utf8');
    expect(sdkPins.length).toBeGreaterThan(0);
    const pinned = [...Object.values(pins.node), ...sdkPins.map(({ name, version }) => `${name} ${version}`)];
    for (const text of pinned) expect([text, doc.includes(text)]).toEqual([text, true]);
  });
});
