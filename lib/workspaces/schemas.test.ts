import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '@/lib/workspaces/return-path';
import {
  formKeySchema,
  inviteEmailSchema,
  invitationTokenSchema,
  workspaceNameSchema,
} from '@/lib/workspaces/schemas';

describe('workspace names', () => {
  it('are trimmed, 1 to 60 characters, without control or format characters', () => {
    expect(workspaceNameSchema.parse('  Acme Inc.  ')).toBe('Acme Inc.');
    expect(workspaceNameSchema.parse('Équipe 東京 🚀')).toBe('Équipe 東京 🚀');
    expect(workspaceNameSchema.safeParse('   ').error?.issues[0]?.message).toBe('Enter a name.');
    expect(workspaceNameSchema.safeParse('x'.repeat(61)).error?.issues[0]?.message).toBe(
      'Use at most 60 characters.',
    );
    for (const bad of ['Acme\nSubject: hi', 'Acme\u0000', 'evil\u202Egnp.exe', 'tab\there'])
      expect(workspaceNameSchema.safeParse(bad).success).toBe(false);
  });

  it('never let a control character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) => {
        const parsed = workspaceNameSchema.safeParse(raw);
        if (parsed.success) {
          expect(parsed.data.length).toBeGreaterThan(0);
          expect(parsed.data.length).toBeLessThanOrEqual(60);
          expect(/[\p{Cc}\p{Cf}]/u.test(parsed.data)).toBe(false);
          expect(parsed.data).toBe(parsed.data.trim());
        }
      }),
    );
  });
});

describe('invitation inputs', () => {
  it('normalise the email and refuse what is not one', () => {
    expect(inviteEmailSchema.parse('  Pat@Example.COM ')).toBe('pat@example.com');
    expect(inviteEmailSchema.safeParse('pat').error?.issues[0]?.message).toBe('Enter a valid email address.');
    expect(inviteEmailSchema.safeParse(undefined).error?.issues[0]?.message).toBe(
      'Enter a valid email address.',
    );
    expect(inviteEmailSchema.safeParse(`${'a'.repeat(250)}@example.com`).success).toBe(false);
  });

  it('take only 43-character base64url tokens and UUID form keys', () => {
    expect(invitationTokenSchema.safeParse('A'.repeat(43)).success).toBe(true);
    for (const bad of ['', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(43)}\n`])
      expect(invitationTokenSchema.safeParse(bad).success).toBe(false);
    expect(formKeySchema.safeParse(crypto.randomUUID()).success).toBe(true);
    expect(formKeySchema.safeParse('not-a-key').error?.issues[0]?.message).toBe(
      'Reload the page and try again.',
    );
  });
});

describe('the path a switch returns to', () => {
  it('keeps this app’s paths and sends anything else to the dashboard', () => {
    expect(safeReturnPath('/workspace/members')).toBe('/workspace/members');
    for (const bad of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '/a\nb',
      'dashboard',
      '',
    ])
      expect(safeReturnPath(bad)).toBe('/dashboard');
  });

  it('never returns a path a browser would read as another origin', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (raw) => {
        const path = safeReturnPath(raw);
        const url = new URL(path, 'https://app.example');
        expect(url.origin).toBe('https://app.example');
        expect(path.startsWith('/')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
