// Prisma's own schema engine, compiled to WebAssembly, driven through the pg
// driver adapter. It applies and diffs standard Prisma migrations without the
// native engine binary (which cannot be downloaded offline), so the
// migrations stay compatible with `prisma migrate deploy`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');
export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

// The package's entry imports the .wasm file as an ES module, which Node
// cannot do yet, so instantiate it by hand with the generated JS bindings.
// The engine reports a Rust panic's message through this global before it throws.
let lastPanic = '';
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    lastPanic = message;
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error('schema engine panic:', message);
  },
};
export function lastEnginePanic() {
  return lastPanic;
}

let loaded: Promise<typeof engineBindings.SchemaEngine> | undefined;
function loadEngine() {
  loaded ??= (async () => {
    const wasmPath = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
      './schema_engine_bg.js': engineBindings as unknown as WebAssembly.ModuleImports,
    });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return engineBindings.SchemaEngine;
  })();
  return loaded;
}

const noFilters = { externalTables: [], externalEnums: [] };

export function schemaFiles() {
  return { files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }] };
}

/** The committed migrations, or only those whose directory sorts before `before` (a prefix of history). */
export function loadMigrations(options: { before?: string } = {}): MigrationList {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .filter((name) => !options.before || name < options.before)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', error: 'missing migration.sql' },
        },
      };
    }),
  } as MigrationList;
}

// Introspection selects Postgres' internal one-byte "char" type (oid 18),
// which the pg driver adapter does not map. Read it as text, then tell the
// engine those columns are characters, which is what it expects.
const PG_CHAR = 18;
const PG_TEXT = 25;
const charColumns = new WeakMap<unknown[], number[]>();
class CharAsTextPool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    if (!(result instanceof Promise)) return result;
    return result.then((res: pg.QueryResult) => {
      const indices: number[] = [];
      (res.fields ?? []).forEach((field, i) => {
        if (field.dataTypeID === PG_CHAR) {
          field.dataTypeID = PG_TEXT;
          indices.push(i);
        }
      });
      if (indices.length > 0) charColumns.set(res.rows, indices);
      return res;
    });
  }
}

/**
 * A migration script's statements. adapter-pg splits a script on every `;`,
 * which cuts a function body (`$$ … ; … $$`) apart; this split skips `;`
 * inside dollar quotes, string literals and `--` comments, as psql does.
 */
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const dollarTag = /\$[A-Za-z_]*\$/y;
  while (i < script.length) {
    dollarTag.lastIndex = i;
    const dollar = dollarTag.exec(script)?.[0];
    if (dollar) {
      const end = script.indexOf(dollar, i + dollar.length);
      i = end < 0 ? script.length : end + dollar.length;
    } else if (script.startsWith("'", i)) {
      const end = script.indexOf("'", i + 1);
      i = end < 0 ? script.length : end + 1; // '' (an escaped quote) is two literals back to back
    } else if (script.startsWith('--', i)) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end + 1;
    } else if (script[i] === ';') {
      statements.push(script.slice(start, i));
      start = i += 1;
    } else i += 1;
  }
  statements.push(script.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.replace(/--[^\n]*/g, '').trim().length > 0);
}

function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script) => {
    for (const sql of splitSqlScript(script)) await adapter.executeRaw({ sql, args: [], argTypes: [] });
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}

function adapterFactory(databaseUrl: string) {
  const connectTo = async (url: string) =>
    withCharColumns(
      await new PrismaPg(new CharAsTextPool({ connectionString: url }), {
        disposeExternalPool: true,
      }).connect(),
    );
  return {
    provider: 'postgres' as const,
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(databaseUrl),
    // The shadow database lives on the same server, created and dropped here.
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const url = new URL(databaseUrl);
      url.pathname = `/${name}`;
      const adapter = await connectTo(url.toString());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        const dropper = new pg.Client({ connectionString: databaseUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropper.end();
      };
      return adapter;
    },
  };
}

export async function withSchemaEngine<T>(
  databaseUrl: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFactory(databaseUrl));
  const schema = schemaFiles().files[0]!;
  const Engine = await loadEngine();
  const engine: SchemaEngine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    adapter,
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

export async function applyMigrations(
  databaseUrl: string,
  options: { before?: string } = {},
): Promise<string[]> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: loadMigrations(options), filters: noFilters });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes a database from `from` to the current schema.prisma ('' when they match). */
export async function diffToSchema(databaseUrl: string, from: 'empty' | 'database'): Promise<string> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const out = await engine.diff({
      from:
        from === 'empty'
          ? { tag: 'empty' }
          : { tag: 'schemaDatasource', configDir: projectRoot, ...schemaFiles() },
      to: { tag: 'schemaDatamodel', ...schemaFiles() },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return out.stdout ?? '';
  });
}

/**
 * The job queue's own schema (graphile_worker), from SQL bundled in the
 * graphile-worker package: no network needed. Idempotent, safe to run while
 * workers run; the app's webhook route needs it before the first event.
 */
export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  const { runMigrations, Logger } = await import('graphile-worker');
  const quiet = new Logger(() => (level, message) => {
    if (level === 'error') console.error(message);
  });
  await runMigrations({ connectionString: databaseUrl, logger: quiet });
}
