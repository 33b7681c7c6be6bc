import { z } from 'zod';

// What the workspace forms and links accept (no server imports: unit-tested on their own).

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(60, 'Use at most 60 characters.')
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'Use letters, numbers, spaces and punctuation only.');

/**
 * A form's one-time key: a double submit of the same form (double click, resubmission, two
 * requests racing) is one action.
 */
export const formKeySchema = z.uuid('Reload the page and try again.');

export const inviteEmailSchema = z
  .string({ message: 'Enter a valid email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254, 'Use at most 254 characters.'));

/** Tokens are 32 random bytes in base64url; anything else is not a token. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
