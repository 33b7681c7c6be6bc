import { z } from 'zod';
import { sameOrigin, withApi } from '@/lib/api/handler';
import { openPortal } from '@/lib/billing/portal';
import { wantsJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/portal [workspaceId]: a Billing Portal session for the workspace, returning to /billing.
export const POST = withApi(
  {
    auth: 'session',
    right: 'billing',
    checks: [sameOrigin],
    // The form's workspaceId is taken by the wrapper; nothing else is read.
    body: { schema: z.object({}).nullable(), invalid: 'Invalid request.', format: 'json-or-form' },
  },
  async ({ request, workspace }) => {
    const url = await openPortal(workspace.id);
    return wantsJson(request) ? Response.json({ url }) : Response.redirect(url, 303);
  },
);
