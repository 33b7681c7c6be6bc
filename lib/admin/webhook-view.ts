import { redact } from '@/lib/redact';

// The back office shows whatever the inbox holds, including rows stored
// before intake refused odd bodies (a `created` of infinity, deep nesting):
// such a row must still open, so staff can see and replay it.

/** ISO time, or a dash for a missing or unrepresentable date (PostgreSQL's ±infinity). */
export function isoOrDash(date: Date | null | undefined): string {
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : '—';
}

/** The payload, redacted and indented; a note instead when it is nested too deeply to show. */
export function payloadText(payload: unknown): string {
  try {
    return JSON.stringify(redact(payload), null, 2) ?? String(payload);
  } catch {
    return 'This payload is nested too deeply to display.';
  }
}
