import type { NavLink } from '@/components/layout/site-header';
import type { Role } from '@/lib/generated/prisma/enums';

/**
 * The signed-in navigation. Billing links are added only when billing is configured, and the
 * Billing page only for those with the billing right in the current workspace (`billingRight`);
 * Invoices when the current workspace has a connected Stripe account (`invoicing`).
 */
export function appNavigation(
  role: Role,
  billing: boolean,
  billingRight = true,
  invoicing = false,
): NavLink[] {
  const links: NavLink[] = [{ href: '/dashboard', label: 'Dashboard' }];
  // Client invoicing: only in a workspace with a connected Stripe account.
  if (invoicing) links.push({ href: '/invoices', label: 'Invoices' });
  if (billing) {
    links.push({ href: '/pricing', label: 'Pricing' });
    if (billingRight) links.push({ href: '/billing', label: 'Billing' });
    links.push({ href: '/credits', label: 'Credits' });
  }
  links.push({ href: '/settings/api-keys', label: 'API keys' });
  links.push({ href: '/settings/security', label: 'Security' });
  if (role === 'admin' || role === 'finance') links.push({ href: '/admin', label: 'Admin' });
  return links;
}
