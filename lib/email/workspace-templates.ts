import { env } from '@/lib/env';

const signature = '\n\n— The Tollgate team';

/**
 * The invitation email. The subject is fixed: names chosen by the inviter appear only in the
 * body, so a workspace cannot be named to pass for a message from us.
 */
export function invitationEmail(input: {
  token: string;
  workspaceName: string;
  inviter: string;
  role: string;
}) {
  return {
    subject: 'You are invited to a Tollgate workspace',
    text:
      `${input.inviter} invited you to join the workspace “${input.workspaceName}” as ${input.role}.\n\n` +
      `Accept the invitation: ${env().APP_URL}/invite?token=${input.token}\n\n` +
      `The link works once, for 7 days. Without a Tollgate account you can create one from the link. ` +
      `If you did not expect this invitation, ignore this email.${signature}`,
  };
}
