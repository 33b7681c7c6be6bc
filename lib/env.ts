// The one place that reads process.env. Every variable is validated with zod;
// a missing or malformed one stops start-up with a message that names it and
// shows what it should look like. Documented in .env.example.
import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string({ error: 'is required, e.g. postgresql://user:password@localhost:5432/tollgate' })
    .regex(
      /^postgres(ql)?:\/\//,
      'must be a PostgreSQL URL, e.g. postgresql://user:password@localhost:5432/tollgate',
    ),
  AUTH_SECRET: z
    .string({ error: 'is required: a random string of at least 32 characters (openssl rand -base64 32)' })
    .min(32, 'must be at least 32 characters (openssl rand -base64 32)'),
  APP_URL: z
    .url({ error: 'must be the public URL of the app, e.g. https://app.example.com' })
    .default('http://localhost:3000'),
  STRIPE_SECRET_KEY: optional(
    z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[0-9A-Za-z_]+$/,
        'must look like sk_test_… or sk_live_… (or a restricted rk_ key)',
      ),
  ),
  STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_[0-9A-Za-z_]+$/, 'must look like whsec_…')),
  STRIPE_PUBLISHABLE_KEY: optional(
    z.string().regex(/^pk_(test|live)_[0-9A-Za-z_]+$/, 'must look like pk_test_… or pk_live_…'),
  ),
  STRIPE_API_URL: optional(
    z.url({ error: 'must be a URL such as http://127.0.0.1:12111 (the local emulator)' }),
  ),
  // The platform's Connect webhook endpoint signing secret (events of connected accounts,
  // each carrying `account`). Without it /api/stripe/webhook/connect answers 503.
  STRIPE_CONNECT_WEBHOOK_SECRET: optional(
    z.string().regex(/^whsec_[0-9A-Za-z_]+$/, 'must look like whsec_…'),
  ),
  // The application fee the platform takes on a connected account's payments (percent, 0-100),
  // unless the back office sets another for a workspace. Unset = no fee.
  STRIPE_APPLICATION_FEE_PERCENT: optional(
    z.coerce
      .number({ error: 'must be a percentage such as 2.5' })
      .min(0, 'must be 0 or more')
      .max(100, 'must be at most 100'),
  ),
  // Keys that encrypt workspaces' Stripe secrets at rest: comma-separated id:base64 pairs, each key
  // 32 random bytes (`openssl rand -base64 32`). The first encrypts; every one listed decrypts
  // (rotation: put the new key first, run `npm run keys:rotate`, then drop the old one).
  TOLLGATE_ENCRYPTION_KEYS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/_-]{43}=?$/,
                'must be comma-separated id:key pairs, each key 32 bytes in base64, e.g. k1:$(openssl rand -base64 32)',
              ),
          )
          .min(1, 'must list at least one id:key pair'),
      ),
  ),
  SMTP_URL: optional(z.url({ error: 'must be an SMTP URL such as smtp://user:pass@smtp.example.com:587' })),
  EMAIL_FROM: z.string().default('Tollgate <no-reply@tollgate.local>'),
  DUNNING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  CREDITS_MIN_CENTS: z.coerce.number().int().min(50).default(500),
  CREDITS_MAX_CENTS: z.coerce.number().int().max(1_000_000).default(100_000),
  // Referral bonuses one referrer can earn in 30 days (the rest are refused and recorded).
  // Sign-ups one address may make per hour before each further one is delayed.
  SIGN_UP_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  REFERRAL_CAP_PER_MONTH: z.coerce.number().int().min(0).max(10_000).default(10),
  AUTH_TRUST_HOST: optional(z.enum(['true', 'false'])),
  CRON_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  // The /dev/outbox page is on outside production; 'on' also enables it in a production build (tests).
  DEV_OUTBOX: optional(z.enum(['on', 'off'])),
  // How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default) ignores
  // the header and uses the socket address; see README "Client IP behind a proxy".
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: 'must be a whole number of proxies (0 when none, 1 behind Vercel or one nginx)' })
    .int('must be a whole number of proxies (0 when none, 1 behind Vercel or one nginx)')
    .min(0, 'must be 0 or more')
    .max(5, 'must be at most 5')
    .default(0),
  // Comma-separated emails that become admin when they sign in with a verified address.
  ADMIN_EMAILS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.email('must be a comma-separated list of email addresses'))),
  ),
  // Opt-in OAuth sign-in: each provider is enabled only when both of its variables are set.
  AUTH_GITHUB_ID: optional(z.string()),
  AUTH_GITHUB_SECRET: optional(z.string()),
  AUTH_GOOGLE_ID: optional(z.string()),
  AUTH_GOOGLE_SECRET: optional(z.string()),
  // Background work (lib/jobs): 'on' runs a job-queue worker inside each `next start`; 'off' when
  // `npm run worker` runs separately or on serverless hosts (the cron route runs batches).
  JOBS_IN_PROCESS: z.enum(['on', 'off']).default('on'),
  // Jobs one worker runs at once (webhook events of different objects apply concurrently).
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // When to reconcile the mirror with Stripe, and to list events Stripe could not deliver (cron syntax, UTC).
  RECONCILE_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression, e.g. "0 3 * * *"')
    .default('0 3 * * *'),
  RECOVER_EVENTS_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression, e.g. "*/30 * * * *"')
    .default('*/30 * * * *'),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated environment, parsed once per process (lazily, so `next build` needs no secrets). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the parsed settings, so the next env() reads process.env again (tests that change it). */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Billing is opt-in: without a Stripe secret key there is no billing surface at all. */
export function billingEnabled(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}
