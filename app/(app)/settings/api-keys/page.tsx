import type { Metadata } from 'next';
import { CreateKeyForm } from '@/components/settings/create-key-form';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { listApiKeys } from '@/lib/api/keys';
import { requireWorkspace } from '@/lib/workspaces/current';
import { formatDate } from '@/lib/format';
import { createKeyAction, revokeKeyAction } from './actions';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const { workspace } = await requireWorkspace('use', '/settings/api-keys');
  const keys = await listApiKeys(workspace.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">API keys</h1>
      <Card>
        <CardTitle>Create a key</CardTitle>
        <p className="mb-4 mt-1 text-sm text-slate-600">
          Use it as <code>Authorization: Bearer &lt;key&gt;</code> with the REST API (see docs/api.md). A key
          acts for {workspace.name} with your role there. Keys are stored hashed.
        </p>
        <CreateKeyForm createKey={createKeyAction} workspaceId={workspace.id} />
      </Card>
      <Card>
        <CardTitle>Keys of {workspace.name}</CardTitle>
        {keys.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">No keys yet.</p>
        ) : (
          <table className="mt-4 w-full text-left text-sm" aria-label="API keys">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 font-medium">Name</th>
                <th className="py-2 font-medium">Key</th>
                <th className="py-2 font-medium">Created</th>
                <th className="py-2 font-medium">Last used</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((key) => (
                <tr key={key.id}>
                  <td className="py-2">{key.name}</td>
                  <td className="py-2 font-mono">{key.prefix}…</td>
                  <td className="py-2">{formatDate(key.createdAt)}</td>
                  <td className="py-2">{formatDate(key.lastUsedAt)}</td>
                  <td className="py-2 text-right">
                    {key.revokedAt ? (
                      <span className="text-slate-500">Revoked</span>
                    ) : (
                      <form action={revokeKeyAction}>
                        <input type="hidden" name="id" value={key.id} />
                        <input type="hidden" name="workspaceId" value={workspace.id} />
                        <Button type="submit" variant="ghost" aria-label={`Revoke ${key.name}`}>
                          Revoke
                        </Button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
