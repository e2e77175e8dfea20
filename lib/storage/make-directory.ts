/**
 * `mkdir -p`, one level at a time. Node's own recursive `mkdir` never returns under some virtual
 * file systems (under `/proc` it retries the same failing step forever, at full CPU); creating each
 * missing folder with a plain `mkdir` fails at once there with the error the kernel gives (ENOENT).
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The error Node's recursive mkdir gives for a path that exists and is not a folder. */
function existsAsFile(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EEXIST: file already exists, mkdir '${path}'`), { code: 'EEXIST', path, syscall: 'mkdir' });
}

/** The folders of `path` that do not exist yet, outermost first, found by walking up from it. */
async function missingFolders(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found) {
      if (!found.isDirectory()) throw existsAsFile(dir);
      return missing.reverse();
    }
    missing.push(dir);
    if (dirname(dir) === dir) return missing.reverse();
  }
}

/**
 * Creates `path` and its missing parent folders (with `mode`). Resolves to the first folder it
 * created, or undefined when `path` was a folder already (as Node's recursive mkdir does).
 */
export async function makeDirectory(path: string, mode?: number): Promise<string | undefined> {
  let first: string | undefined;
  for (const dir of await missingFolders(path)) {
    const made = await mkdir(dir, { mode }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        return false; // made by someone else meanwhile
      },
    );
    if (made) first ??= dir;
  }
  return first;
}

/** `makeDirectory`, synchronously (for exit paths). */
export function makeDirectorySync(path: string, mode?: number): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(dir).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (isFolder === false) throw existsAsFile(dir);
    if (isFolder) break;
    missing.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
