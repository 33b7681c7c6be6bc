import { withApi } from '@/lib/api/handler';
import { sweep } from '@/lib/billing/sweeper';

export const dynamic = 'force-dynamic';

// GET /api/cron/sweep: for schedulers (Vercel Cron) where no server runs between requests.
export const GET = withApi({ auth: 'cron' }, async () => Response.json(await sweep()));
