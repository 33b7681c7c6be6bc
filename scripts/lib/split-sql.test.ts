import { describe, expect, it } from 'vitest';
import { splitSqlScript } from './schema-engine';

describe('splitSqlScript (migrations run statement by statement)', () => {
  it('keeps a function body whole and splits between statements', () => {
    const script = `-- a comment; with a semicolon
CREATE TABLE "T" (a int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "T" VALUES (1);
  PERFORM format($q$ SELECT ';' $q$);
  RETURN NULL;
END
$fn$;
INSERT INTO "T" SELECT length('it''s; fine');
SELECT 1`;
    const statements = splitSqlScript(script);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toBe('-- a comment; with a semicolon\nCREATE TABLE "T" (a int)');
    expect(statements[1]).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*RETURN NULL;\nEND\n\$fn\$$/);
    expect(statements[2]).toBe(`INSERT INTO "T" SELECT length('it''s; fine')`);
    expect(statements[3]).toBe('SELECT 1');
  });

  it('drops empty and comment-only pieces', () => {
    expect(splitSqlScript(';;\n-- only a comment\n;  SELECT 2;\n')).toEqual(['SELECT 2']);
  });
});
