import type { Metadata } from 'next';
import { CreateKeyForm } from '@/components/settings/create-key-form';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
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
        <Table
          label="API keys"
          headers={['Name', 'Key', 'Created', 'Last used', { label: 'Actions', srOnly: true }]}
          empty={keys.length === 0 && 'No keys yet.'}
        >
          {keys.map((key) => (
            <tr key={key.id}>
              <Td>{key.name}</Td>
              <Td className="font-mono">{key.prefix}…</Td>
              <Td>{formatDate(key.createdAt)}</Td>
              <Td>{formatDate(key.lastUsedAt)}</Td>
              <Td className="text-right">
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
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
