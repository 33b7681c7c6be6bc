import { afterEach, describe, expect, it, vi } from 'vitest';
import { log } from './log';

// What each LOG_LEVEL lets through: the lines an operator would see.
function linesAt(level: string | undefined): string[] {
  const previous = process.env.LOG_LEVEL;
  if (level === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = level;
  const lines: string[] = [];
  const keep = (line: string) => void lines.push(JSON.parse(line).level);
  vi.spyOn(console, 'log').mockImplementation(keep);
  vi.spyOn(console, 'warn').mockImplementation(keep);
  vi.spyOn(console, 'error').mockImplementation(keep);
  try {
    log.info('a');
    log.warn('b');
    log.error('c');
  } finally {
    if (previous === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previous;
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('LOG_LEVEL', () => {
  it('writes every level by default and at info', () => {
    expect(linesAt(undefined)).toEqual(['info', 'warn', 'error']);
    expect(linesAt('info')).toEqual(['info', 'warn', 'error']);
  });
  it('drops the levels below it', () => {
    expect(linesAt('warn')).toEqual(['warn', 'error']);
    expect(linesAt('error')).toEqual(['error']);
    expect(linesAt('silent')).toEqual(['error']);
  });
  it('an unknown level writes everything rather than hiding errors', () => {
    expect(linesAt('verbose')).toEqual(['info', 'warn', 'error']);
  });
});
