import type { Metadata } from 'next';
import { Card, CardTitle } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { InlineForm, InviteForm, RoleSelect } from '@/components/workspaces/forms';
import { SeatPreview } from '@/components/workspaces/seat-preview';
import { billingEnabled } from '@/lib/env';
import { formatDate } from '@/lib/format';
import { cursorOrFirstPage } from '@/lib/pagination';
import { requireWorkspace } from '@/lib/workspaces/current';
import { pendingInvitations } from '@/lib/workspaces/invitations';
import { roleLabels } from '@/lib/workspaces/labels';
import { listMembers } from '@/lib/workspaces/members';
import { can, workspaceRoles } from '@/lib/workspaces/roles';
import {
  changeRoleAction,
  inviteMemberAction,
  leaveWorkspaceAction,
  removeMemberAction,
  revokeInvitationAction,
} from '../actions';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { user, workspace } = await requireWorkspace('use', '/workspace/members');
  const { cursor } = await searchParams;
  const manage = can(workspace.role, 'members');
  const owner = workspace.role === 'owner';
  const [members, invitations] = await Promise.all([
    listMembers(workspace.id, cursorOrFirstPage(cursor)),
    manage ? pendingInvitations(workspace.id) : [],
  ]);
  // Only an owner gives or takes the owner role.
  const givable = owner ? workspaceRoles : workspaceRoles.filter((r) => r !== 'owner');
  const hidden = { workspaceId: workspace.id };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Members of {workspace.name}</h1>
      {manage ? (
        <Card>
          <CardTitle>Invite someone</CardTitle>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            They get an email with a link that works once, for 7 days. Without an account, they create one
            from the link.
          </p>
          <InviteForm
            invite={inviteMemberAction}
            workspaceId={workspace.id}
            roles={givable}
            seatPreview={billingEnabled() ? <SeatPreview workspaceId={workspace.id} /> : null}
          />
        </Card>
      ) : null}
      <Card>
        <CardTitle>Members</CardTitle>
        <Table
          label="Members"
          headers={['Member', 'Role', 'Joined', 'Actions']}
          empty={members.data.length === 0 && (cursor ? 'No more members.' : 'No members yet.')}
        >
          {members.data.map((member) => {
            const self = member.id === user.id;
            const ownerRow = member.role === 'owner';
            const mayChange = manage && (owner || !ownerRow);
            return (
              <tr key={member.id}>
                <Td>
                  <span className="font-medium">{member.name ?? member.email}</span>
                  {member.name ? <span className="block text-xs text-slate-500">{member.email}</span> : null}
                  {self ? <span className="text-xs text-slate-500"> (you)</span> : null}
                </Td>
                <Td>{roleLabels[member.role]}</Td>
                <Td>{formatDate(member.joinedAt)}</Td>
                <Td className="space-y-2">
                  {mayChange ? (
                    <InlineForm
                      action={changeRoleAction}
                      hidden={{ ...hidden, userId: member.id }}
                      submitLabel="Change role"
                      pendingLabel="Saving…"
                    >
                      <RoleSelect
                        id={`role-${member.id}`}
                        label={`Role of ${member.email}`}
                        roles={givable}
                        defaultValue={member.role}
                      />
                    </InlineForm>
                  ) : null}
                  {self && !workspace.personal ? (
                    <InlineForm
                      action={leaveWorkspaceAction}
                      hidden={hidden}
                      submitLabel="Leave"
                      pendingLabel="Leaving…"
                      confirm={`Leave ${workspace.name}?`}
                    />
                  ) : null}
                  {mayChange && !self ? (
                    <InlineForm
                      action={removeMemberAction}
                      hidden={{ ...hidden, userId: member.id }}
                      submitLabel="Remove"
                      pendingLabel="Removing…"
                      confirm={`Remove ${member.email}?`}
                    />
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </Table>
        <Pager basePath="/workspace/members" params={{}} nextCursor={members.nextCursor} />
      </Card>
      {manage ? (
        <Card>
          <CardTitle>Pending invitations</CardTitle>
          <Table
            label="Pending invitations"
            headers={['Email', 'Role', 'Sent', 'Expires', 'Actions']}
            empty={invitations.length === 0 && 'No pending invitations.'}
          >
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <Td>{invitation.email}</Td>
                <Td>{roleLabels[invitation.role]}</Td>
                <Td>{formatDate(invitation.createdAt)}</Td>
                <Td>{formatDate(invitation.expiresAt)}</Td>
                <Td>
                  <InlineForm
                    action={revokeInvitationAction}
                    hidden={{ ...hidden, invitationId: invitation.id }}
                    submitLabel="Revoke"
                    pendingLabel="Revoking…"
                  />
                </Td>
              </tr>
            ))}
          </Table>
        </Card>
      ) : null}
    </div>
  );
}
