import type { Metadata } from 'next';
import Link from 'next/link';
import { buyCreditsAction, generateReportAction, redeemCouponAction } from './actions';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import {
  BuyPackForm,
  CustomAmountForm,
  GenerateReportForm,
  RedeemCouponForm,
} from '@/components/credits/forms';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { referralCodeOf } from '@/lib/auth/service';
import { requireWorkspace } from '@/lib/workspaces/current';
import { can } from '@/lib/workspaces/roles';
import { creditPacks, formatMoney } from '@/lib/billing/catalog';
import { balanceOf, ledgerPage, REPORT_COST } from '@/lib/billing/credits/ledger';
import { paymentsPage } from '@/lib/billing/credits/payments';
import { cursorOrFirstPage } from '@/lib/pagination';
import { REFERRAL_BONUS_CREDITS } from '@/lib/billing/credits/settle';
import { requireBilling } from '@/lib/billing/gate';
import { env } from '@/lib/env';
import { formatCount, formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Credits' };

const kindLabels: Record<string, string> = {
  purchase: 'Purchase',
  referral_bonus: 'Referral bonus',
  subscription_allocation: 'Plan credits',
  coupon: 'Coupon',
  refund_clawback: 'Refund',
  spend: 'Spent',
};

export default async function CreditsPage({
  searchParams,
}: {
  searchParams: Promise<{ canceled?: string; ledger?: string; payments?: string }>;
}) {
  requireBilling();
  // Every member sees and spends the workspace's credits; buying them and its payments are billing's.
  const { user, workspace } = await requireWorkspace('use', '/credits');
  const billing = can(workspace.role, 'billing');
  const params = await searchParams;
  const [balance, ledger, payments, referralCode] = await Promise.all([
    balanceOf(workspace.id),
    ledgerPage(workspace.id, { limit: 10, cursor: cursorOrFirstPage(params.ledger) }),
    billing ? paymentsPage(workspace.id, { limit: 10, cursor: cursorOrFirstPage(params.payments) }) : null,
    referralCodeOf(user.id),
  ]);
  const { CREDITS_MIN_CENTS, CREDITS_MAX_CENTS, APP_URL } = env();

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Credits</h1>
      <p className="text-sm text-slate-600" data-testid="credits-workspace">
        Credits of {workspace.name}
      </p>
      {params.canceled ? <Alert tone="info">Checkout was canceled. You have not been charged.</Alert> : null}

      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>Balance</CardTitle>
          <p className="mt-2 text-4xl font-bold" data-testid="credit-balance">
            {formatCount(balance)}
          </p>
          <p className="text-sm text-slate-500">credits · 1 credit = $0.01</p>
          <div className="mt-4">
            <GenerateReportForm
              generate={generateReportAction}
              cost={REPORT_COST}
              workspaceId={workspace.id}
            />
          </div>
        </Card>
        <Card>
          <CardTitle>Invite friends</CardTitle>
          <p className="mt-2 text-sm text-slate-600">
            When someone signs up with your link and makes a first purchase of $10 or more, you both get{' '}
            {formatCount(REFERRAL_BONUS_CREDITS)} credits, each in your personal workspace.
          </p>
          <p
            className="mt-3 break-all rounded bg-slate-100 px-3 py-2 font-mono text-sm"
            data-testid="referral-link"
          >
            {APP_URL}/sign-up?ref={referralCode}
          </p>
        </Card>
      </div>

      {billing ? (
        <Card>
          <CardTitle>Buy credits</CardTitle>
          <ul className="mt-4 grid gap-4 sm:grid-cols-3">
            {creditPacks.map((pack) => (
              <li key={pack.key} className="rounded-lg p-4 ring-1 ring-slate-200">
                <p className="font-semibold">{pack.name}</p>
                <p className="mb-3 text-sm text-slate-600">{formatMoney(pack.amount)}</p>
                <BuyPackForm
                  buy={buyCreditsAction}
                  pack={pack.key}
                  label={`Buy ${pack.name}`}
                  workspaceId={workspace.id}
                />
              </li>
            ))}
          </ul>
          <div className="mt-6 grid gap-6 md:grid-cols-2">
            <CustomAmountForm
              buy={buyCreditsAction}
              min={CREDITS_MIN_CENTS}
              max={CREDITS_MAX_CENTS}
              workspaceId={workspace.id}
            />
            <RedeemCouponForm redeem={redeemCouponAction} workspaceId={workspace.id} />
          </div>
        </Card>
      ) : (
        <Card>
          <CardTitle>Redeem a coupon</CardTitle>
          <div className="mt-4 max-w-md">
            <RedeemCouponForm redeem={redeemCouponAction} workspaceId={workspace.id} />
          </div>
        </Card>
      )}

      {payments ? (
        <Card>
          <CardTitle>Payments</CardTitle>
          <Table
            label="Payments"
            headers={['Date', 'Description', 'Amount', 'Status', { label: 'Receipt', srOnly: true }]}
            empty={payments.data.length === 0 && 'No payments yet.'}
          >
            {payments.data.map((payment) => (
              <tr key={payment.id}>
                <Td>{formatDate(payment.createdAt)}</Td>
                <Td>{payment.description ?? payment.kind}</Td>
                <Td>{formatMoney(payment.amount, payment.currency)}</Td>
                <Td>
                  <PaymentStatusBadge status={payment.status} />
                </Td>
                <Td className="text-right">
                  {payment.completedAt ? (
                    <a
                      href={`/api/receipts/${payment.id}`}
                      className="font-semibold text-indigo-600 hover:text-indigo-500"
                    >
                      Receipt (PDF)
                    </a>
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
          {payments.nextCursor ? (
            <Link
              href={`/credits?payments=${payments.nextCursor}`}
              className="mt-3 inline-block text-sm font-semibold text-indigo-600"
            >
              Older payments →
            </Link>
          ) : null}
        </Card>
      ) : null}

      <Card>
        <CardTitle>History</CardTitle>
        <Table
          label="Credit history"
          headers={[
            'Date',
            'What',
            { label: 'Credits', align: 'right' },
            { label: 'Balance', align: 'right' },
          ]}
          empty={ledger.data.length === 0 && 'No credit activity yet.'}
        >
          {ledger.data.map((entry) => (
            <tr key={entry.id}>
              <Td>{formatDate(entry.createdAt)}</Td>
              <Td>
                {kindLabels[entry.kind] ?? entry.kind}
                {entry.memo ? <span className="text-slate-500"> · {entry.memo}</span> : null}
              </Td>
              <Td className={`text-right font-mono ${entry.amount < 0 ? 'text-red-700' : 'text-green-700'}`}>
                {entry.amount > 0 ? '+' : ''}
                {formatCount(entry.amount)}
              </Td>
              <Td className="text-right font-mono">{formatCount(entry.balanceAfter)}</Td>
            </tr>
          ))}
        </Table>
        {ledger.nextCursor ? (
          <Link
            href={`/credits?ledger=${ledger.nextCursor}`}
            className="mt-3 inline-block text-sm font-semibold text-indigo-600"
          >
            Older entries →
          </Link>
        ) : null}
      </Card>
    </div>
  );
}
