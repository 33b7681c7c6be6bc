import { formatMoney } from '@/lib/billing/catalog';
import { env } from '@/lib/env';

const signature = '\n\n— The Tollgate team';

export function paymentFailedEmail(input: {
  amountDue: number;
  currency: string;
  graceDays: number;
  hostedInvoiceUrl: string | null;
}) {
  return {
    subject: 'Your payment failed — please update your card',
    text:
      `We could not collect ${formatMoney(input.amountDue, input.currency)} for your subscription.\n\n` +
      `Your premium features stay on for ${input.graceDays} days while we retry. ` +
      `Update your payment method at ${env().APP_URL}/billing to keep them.` +
      (input.hostedInvoiceUrl ? `\n\nYou can also pay the invoice directly: ${input.hostedInvoiceUrl}` : '') +
      signature,
  };
}

export function paymentActionRequiredEmail(input: {
  amountDue: number;
  currency: string;
  hostedInvoiceUrl: string | null;
}) {
  return {
    subject: 'Please confirm your payment with your bank',
    text:
      `Your bank asks you to confirm the payment of ${formatMoney(input.amountDue, input.currency)} for your subscription (3-D Secure).\n\n` +
      (input.hostedInvoiceUrl
        ? `Confirm it here: ${input.hostedInvoiceUrl}`
        : `Confirm it from ${env().APP_URL}/billing.`) +
      signature,
  };
}

export function trialWillEndEmail(input: { trialEnd: Date }) {
  return {
    subject: 'Your free trial ends soon',
    text: `Your trial ends on ${input.trialEnd.toUTCString().slice(0, 16)}. Your plan continues automatically; manage it at ${env().APP_URL}/billing.${signature}`,
  };
}

export function downgradedEmail() {
  return {
    subject: 'Your premium features are paused',
    text: `We still could not collect your last payment, so your premium features are now off. Update your payment method at ${env().APP_URL}/billing to restore them at once.${signature}`,
  };
}

export function paymentRecoveredEmail() {
  return {
    subject: 'Payment received — you are all set',
    text: `Thanks! Your payment went through and your plan is fully active again.${signature}`,
  };
}
