import { AsyncLocalStorage } from 'node:async_hooks';

/** The account every request acts for unless it says otherwise: the platform (see src/connect). */
export const PLATFORM_ACCOUNT = 'acct_1EmulatorPlatform';
/** The partition of tables that belong to no account (the account registry itself). */
export const GLOBAL_PARTITION = '*';

/**
 * Which account the running operation acts for. Every table is partitioned by account, and an
 * operation sees only its own account's rows: `Stripe-Account` scoping without each resource
 * knowing about it. AsyncLocalStorage carries the account across a hosted page's awaits.
 */
export class Scope {
  private als = new AsyncLocalStorage<string>();

  current(): string {
    return this.als.getStore() ?? PLATFORM_ACCOUNT;
  }

  run<T>(account: string, work: () => T): T {
    return this.als.run(account, work);
  }
}

const EMPTY = new Map<string, never>();

/** A map from id to row per account, in insertion order; `onChange` feeds the persistence debounce. */
export class Table<T extends { id: string }> {
  private parts = new Map<string, Map<string, T>>();
  onChange: () => void = () => {};

  /** `global`: one partition for all accounts (the account registry). */
  constructor(
    private readonly scope: Scope,
    private readonly global = false,
  ) {}

  private key(): string {
    return this.global ? GLOBAL_PARTITION : this.scope.current();
  }

  private rows(): Map<string, T> {
    return this.parts.get(this.key()) ?? EMPTY;
  }

  private writable(): Map<string, T> {
    const key = this.key();
    let rows = this.parts.get(key);
    if (!rows) this.parts.set(key, (rows = new Map()));
    return rows;
  }

  get(id: string): T | undefined {
    return this.rows().get(id);
  }

  has(id: string): boolean {
    return this.rows().has(id);
  }

  set(row: T): T {
    this.writable().set(row.id, row);
    this.onChange();
    return row;
  }

  delete(id: string): void {
    if (this.parts.get(this.key())?.delete(id)) this.onChange();
  }

  values(): T[] {
    return [...this.rows().values()];
  }

  get size(): number {
    return this.rows().size;
  }

  clear(): void {
    this.parts.clear();
  }

  /** The accounts (partitions) holding rows. */
  partitions(): string[] {
    return [...this.parts.keys()].filter((key) => (this.parts.get(key)?.size ?? 0) > 0);
  }

  /** The partition holding this id, if any. */
  ownerOf(id: string): string | undefined {
    for (const [key, rows] of this.parts) if (rows.has(id)) return key;
    return undefined;
  }

  /** Drops one account's rows (a deleted account). */
  dropPartition(key: string): void {
    if (this.parts.delete(key)) this.onChange();
  }

  dump(key: string): T[] {
    return [...(this.parts.get(key)?.values() ?? [])];
  }

  /** Rows come from this store's own state file (written by `snapshot`), so they are trusted as T. */
  load(key: string, rows: unknown[]): void {
    const map = new Map<string, T>();
    for (const row of rows) {
      if (row && typeof row === 'object' && 'id' in row && typeof row.id === 'string') {
        map.set(row.id, row as T);
      }
    }
    if (map.size) this.parts.set(key, map);
    else this.parts.delete(key);
  }
}
