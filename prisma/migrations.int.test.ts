import { describe, expect, it } from 'vitest';
import { applyMigrations, diffToSchema } from '../scripts/lib/schema-engine';

// The global setup applied every committed migration to an empty database.
describe('migrations', () => {
  it('bring an empty database exactly to schema.prisma', async () => {
    const url = process.env.DATABASE_URL!;
    const drift = await diffToSchema(url, 'database');
    expect(drift.replace(/^\s*-- This is an empty migration\.\s*$/m, '').trim()).toBe('');
  });

  it('apply nothing a second time', async () => {
    expect(await applyMigrations(process.env.DATABASE_URL!)).toEqual([]);
  });
});
