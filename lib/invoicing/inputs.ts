import { z } from 'zod';
import { MAX_TOTAL } from './money';

// What the invoice forms send, validated at the boundary (form data is all strings).

/** The currencies an invoice may use: all with two decimals, so "12.50" means 1250 minor units. */
export const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf'] as const;

/** Lines the editor offers; blank rows are ignored. */
export const MAX_LINES = 20;

const text = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .refine((v) => !v.includes('\u0000') && v.isWellFormed(), message);

/** "1,234.5" → 123450 minor units; null when it is not an amount. */
export function parseMoney(raw: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(raw.trim().replace(/,/g, ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

const money = (field: string) =>
  z.string().transform((raw, ctx) => {
    const cents = parseMoney(raw);
    if (cents === null || cents > MAX_TOTAL) {
      ctx.addIssue({ code: 'custom', message: `${field}: enter an amount such as 120 or 99.50.` });
      return z.NEVER;
    }
    return cents;
  });

export const clientSchema = z.object({
  name: text(200, 'Enter a name.').pipe(z.string().min(1, 'Enter a name.')),
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.').max(254)),
  address: text(1000, 'Enter an address.').transform((v) => v || null),
});

const lineSchema = z.object({
  description: text(500, 'Describe the line.').pipe(z.string().min(1, 'Describe each line you fill in.')),
  quantity: z.coerce
    .number({ error: 'Quantity must be a whole number.' })
    .int('Quantity must be a whole number.')
    .min(1, 'Quantity must be at least 1.')
    .max(100_000, 'Quantity must be at most 100,000.'),
  unitAmount: money('Unit price'),
});

export const invoiceSchema = z
  .object({
    clientId: z.string().trim().min(1, 'Choose a client.').max(64),
    currency: z.enum(CURRENCIES, { error: 'Choose a currency.' }),
    dueDate: z.iso.date('Enter a due date (YYYY-MM-DD).').transform((d) => new Date(`${d}T00:00:00Z`)),
    taxRate: z
      .string()
      .trim()
      .transform((raw, ctx) => {
        if (raw === '') return 0;
        const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(raw);
        const bps = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : NaN;
        if (!(bps >= 0 && bps <= 10_000)) {
          ctx.addIssue({ code: 'custom', message: 'Tax rate: a percent from 0 to 100, such as 8.25.' });
          return z.NEVER;
        }
        return bps;
      }),
    depositKind: z.enum(['none', 'percent', 'amount'], { error: 'Choose a kind of deposit.' }),
    depositValue: z.string().trim().default(''),
    notes: text(2000, 'Notes contain characters that cannot be stored.').transform((v) => v || null),
    lines: z.array(lineSchema).min(1, 'Add at least one line.').max(MAX_LINES),
  })
  .transform((input, ctx) => {
    const { depositKind, depositValue, ...rest } = input;
    if (depositKind === 'none') return { ...rest, deposit: null };
    if (depositKind === 'percent') {
      const pct = /^\d{1,2}$/.test(depositValue) ? Number(depositValue) : NaN;
      if (!(pct >= 1 && pct <= 99)) {
        ctx.addIssue({
          code: 'custom',
          path: ['depositValue'],
          message: 'Deposit: a whole percent from 1 to 99.',
        });
        return z.NEVER;
      }
      return { ...rest, deposit: { kind: 'percent' as const, value: pct } };
    }
    const cents = parseMoney(depositValue);
    if (cents === null || cents < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['depositValue'],
        message: 'Deposit: enter an amount such as 250.',
      });
      return z.NEVER;
    }
    return { ...rest, deposit: { kind: 'amount' as const, value: cents } };
  });

export type InvoiceInput = z.output<typeof invoiceSchema>;
export type ClientInput = z.output<typeof clientSchema>;

/**
 * The editor's flat fields (lines.3.description, …) as the schema's shape: rows left wholly
 * blank are dropped, so a form with spare rows validates.
 */
export function invoiceFields(raw: Record<string, unknown>): Record<string, unknown> {
  const lines: Array<Record<string, string>> = [];
  for (let i = 0; i < MAX_LINES; i += 1) {
    const field = (name: string) => {
      const value = raw[`lines.${i}.${name}`];
      return typeof value === 'string' ? value : '';
    };
    const line = {
      description: field('description'),
      quantity: field('quantity'),
      unitAmount: field('unitAmount'),
    };
    if (line.description.trim() || line.unitAmount.trim())
      lines.push({ ...line, quantity: line.quantity || '1' });
  }
  const string = (name: string) => (typeof raw[name] === 'string' ? raw[name] : '');
  return {
    clientId: string('clientId'),
    currency: string('currency'),
    dueDate: string('dueDate'),
    taxRate: string('taxRate'),
    depositKind: string('depositKind') || 'none',
    depositValue: string('depositValue'),
    notes: string('notes'),
    lines,
  };
}

/** The invoice form's schema, for validatedAction (which parses Object.fromEntries(formData)). */
export const invoiceFormSchema = z.preprocess(
  (raw) => invoiceFields(raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}),
  invoiceSchema,
);

/** How the invoice number reads: INV-0042. */
export function invoiceNumber(number: number): string {
  return `INV-${String(number).padStart(4, '0')}`;
}

/** The editor's default due date: two weeks from now (YYYY-MM-DD, UTC). */
export function defaultDueDate(now = new Date()): string {
  return new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
}
