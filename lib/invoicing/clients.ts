import 'server-only';
import { db } from '@/lib/db';
import type { ClientInput } from './inputs';

// A workspace's clients. Every query is scoped by the workspace: another workspace's client
// looks exactly like a missing one.

export async function createClient(workspaceId: string, input: ClientInput) {
  return db.client.create({
    data: { workspaceId, name: input.name, email: input.email, address: input.address },
    select: { id: true, name: true, email: true },
  });
}

/** The workspace's clients for the invoice editor, by name (the newest 500). */
export async function listClients(workspaceId: string) {
  const clients = await db.client.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
    select: { id: true, name: true, email: true, address: true },
  });
  return clients.sort((a, b) => a.name.localeCompare(b.name));
}
