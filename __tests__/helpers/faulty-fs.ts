/**
 * Test double: a StorageFileSystem over the real one that injects faults (`ENOSPC`, `EACCES`, ...)
 * into chosen operations and can hold writes at a gate (a disk slower than the traffic).
 */
import { nodeFileSystem, type StorageFileSystem } from '../../lib/extend/index.js';

/** Operation names of the seam. */
export type FsOp = keyof StorageFileSystem;

/** Decides a fault: the error code to fail `op` on `path` with, or undefined to let it through. */
export type FaultRule = (op: FsOp, path: string) => string | undefined;

/** Makes an fs error the way Node does (`code`, `syscall`, `path`). */
export function fsError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${op} '${path}'`);
  error.code = code;
  error.syscall = op;
  error.path = path;
  return error;
}

/** A fault-injecting file system; `calls` counts operations by name. */
export class FaultyFileSystem implements StorageFileSystem {
  rule: FaultRule | undefined;
  readonly calls: Record<string, number> = {};
  #gate: Promise<void> | undefined;
  #release: (() => void) | undefined;

  constructor(rule?: FaultRule) {
    this.rule = rule;
  }

  /** Holds every `open` until `release()` (writes queue up behind it). */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#release = resolve));
  }

  /** Lets held operations go. */
  release(): void {
    this.#release?.();
    this.#gate = undefined;
  }

  async #check(op: FsOp, path: string): Promise<void> {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    const code = this.rule?.(op, path);
    if (code) throw fsError(code, op, path);
  }

  mkdir: StorageFileSystem['mkdir'] = async (path, mode) => {
    await this.#check('mkdir', path);
    return nodeFileSystem.mkdir(path, mode);
  };
  open: StorageFileSystem['open'] = async (path, flags, mode) => {
    if (this.#gate) await this.#gate;
    await this.#check('open', path);
    return nodeFileSystem.open(path, flags, mode);
  };
  rename: StorageFileSystem['rename'] = async (from, to) => {
    await this.#check('rename', to);
    return nodeFileSystem.rename(from, to);
  };
  readFile: StorageFileSystem['readFile'] = async (path) => {
    await this.#check('readFile', path);
    return nodeFileSystem.readFile(path);
  };
  readTail: StorageFileSystem['readTail'] = async (path, bytes) => {
    await this.#check('readTail', path);
    return nodeFileSystem.readTail(path, bytes);
  };
  readHead: StorageFileSystem['readHead'] = async (path, bytes) => {
    await this.#check('readHead', path);
    return nodeFileSystem.readHead(path, bytes);
  };
  chmod: StorageFileSystem['chmod'] = async (path, mode) => {
    await this.#check('chmod', path);
    return nodeFileSystem.chmod(path, mode);
  };
  readdir: StorageFileSystem['readdir'] = async (path) => {
    await this.#check('readdir', path);
    return nodeFileSystem.readdir(path);
  };
  stat: StorageFileSystem['stat'] = async (path) => {
    await this.#check('stat', path);
    return nodeFileSystem.stat(path);
  };
  unlink: StorageFileSystem['unlink'] = async (path) => {
    await this.#check('unlink', path);
    return nodeFileSystem.unlink(path);
  };
}

/**
 * A file system that lets everything through and records the base name of every file read whole
 * (`readFile`, what parsing a segment takes) below `under`: to check which segments a read parsed.
 */
export function wholeFileReads(under = ''): { fs: FaultyFileSystem; files: string[] } {
  const files: string[] = [];
  const fs = new FaultyFileSystem((op, path) => {
    if (op === 'readFile' && path.startsWith(under)) files.push(path.slice(path.lastIndexOf('/') + 1));
    return undefined;
  });
  return { fs, files };
}

/** A file handle of the seam (what `StorageFileSystem.open` resolves to). */
type FileHandleOf = Awaited<ReturnType<StorageFileSystem['open']>>;

/**
 * The real file system, with the methods `wrap` returns replacing those of every handle it opens
 * (counting or failing writes, say); everything else is the real one.
 */
export function wrappingHandles(wrap: (file: FileHandleOf, path: string) => Partial<FileHandleOf>): StorageFileSystem {
  return {
    ...nodeFileSystem,
    open: async (path, flags, mode) => {
      const file = await nodeFileSystem.open(path, flags, mode);
      return { ...file, ...wrap(file, path) };
    },
  };
}
