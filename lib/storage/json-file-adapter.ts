/**
 * A lowdb `Adapter` for one small JSON file of the store (`meta.json`, `catalog.json`, the process
 * records; segments are appended instead, segment-writer.ts), written for the store's guarantees rather than lowdb's
 * stock `JSONFile`: writes are atomic with fsync and mode `0600` (steno does temp + rename but
 * neither fsyncs nor sets modes), a missing file reads as `null`, and a file that does not parse
 * (or has the wrong shape) reads as `null` with `lastReadWasCorrupt` set; reading never changes a
 * file (what to do with a bad one is the caller's decision, see ownership.ts). All I/O goes
 * through the injectable `StorageFileSystem`.
 */
import type { Adapter } from 'lowdb';
import { writeFileAtomic } from './atomic-write.js';
import { errorCode, type StorageFileSystem } from './fs-facade.js';

/** Tells whether parsed content has the shape the file should hold. */
export type JsonValidator<T> = (value: unknown) => value is T;

/** lowdb adapter: one JSON document in one file, atomic and corruption-tolerant. */
export class JsonFileAdapter<T> implements Adapter<T> {
  readonly #fs: StorageFileSystem;
  readonly #path: string;
  readonly #isValid: JsonValidator<T>;
  #lastReadCorrupt = false;

  constructor(fs: StorageFileSystem, path: string, isValid: JsonValidator<T>) {
    this.#fs = fs;
    this.#path = path;
    this.#isValid = isValid;
  }

  /** The file this adapter reads and writes. */
  get path(): string {
    return this.#path;
  }

  /** Whether the last `read()` found the file unparsable or of the wrong shape (it is left as it is). */
  get lastReadWasCorrupt(): boolean {
    return this.#lastReadCorrupt;
  }

  /** The document, or null when the file is missing or corrupt (`lastReadWasCorrupt` tells which). Changes nothing. */
  async read(): Promise<T | null> {
    this.#lastReadCorrupt = false;
    let text: string;
    try {
      text = await this.#fs.readFile(this.#path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (!this.#isValid(value)) {
      this.#lastReadCorrupt = true;
      return null;
    }
    return value;
  }

  /** Replaces the file with `data` atomically. */
  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    await writeFileAtomic(this.#fs, this.#path, text);
  }
}
