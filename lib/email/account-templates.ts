import { env } from '@/lib/env';

const signature = '\n\n— The Tollgate team';

export function verifyEmailEmail(token: string) {
  return {
    subject: 'Confirm your email address',
    text:
      `Confirm that this address is yours: ${env().APP_URL}/verify-email?token=${token}\n\n` +
      `The link works once, for 24 hours. If you did not create a Tollgate account, ignore this email.${signature}`,
  };
}

export function accountExistsEmail() {
  return {
    subject: 'Someone tried to sign up with your email',
    text:
      `Someone (maybe you) tried to create a Tollgate account with this address, which already has one. ` +
      `Nothing was changed. Sign in at ${env().APP_URL}/sign-in, or reset your password at ` +
      `${env().APP_URL}/forgot-password if you forgot it.${signature}`,
  };
}

export function resetPasswordEmail(token: string) {
  return {
    subject: 'Reset your password',
    text:
      `Choose a new password: ${env().APP_URL}/reset-password?token=${token}\n\n` +
      `The link works once, for 1 hour. If you did not ask for it, ignore this email: your password stays as it is.${signature}`,
  };
}

export function passwordChangedEmail() {
  return {
    subject: 'Your password was changed',
    text: `Your Tollgate password was just changed and every other session was signed out. If this was not you, reset it at ${env().APP_URL}/forgot-password.${signature}`,
  };
}
