import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Snapshot, Store } from './store';

/**
 * Keeps the store in a JSON file: loaded once at start, written after changes settle
 * (debounced, with a ceiling so a busy emulator still saves), always via temp file + rename so a
 * crash never leaves half a file.
 */
export class Persistence {
  private timer: NodeJS.Timeout | null = null;
  private firstPendingAt = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly store: Store,
    private readonly log: (message: string) => void,
    private readonly debounceMs = 100,
    private readonly maxWaitMs = 1000,
  ) {}

  load(): void {
    if (!existsSync(this.file)) return;
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (!isSnapshot(parsed)) throw new Error('not an emulator state file');
      this.store.restore(parsed);
    } catch (error) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      this.log(`Could not read ${this.file} (${String(error)}); moved it to ${aside} and started empty.`);
    }
  }

  schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    if (!this.timer) this.firstPendingAt = now;
    else clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(temp, JSON.stringify(this.store.snapshot()));
    renameSync(temp, this.file);
  }

  close(): void {
    if (this.timer) this.flush();
    this.closed = true;
  }
}

function isSnapshot(value: unknown): value is Snapshot {
  if (!value || typeof value !== 'object') return false;
  return 'version' in value && value.version === 1 && 'objects' in value && 'internal' in value;
}
