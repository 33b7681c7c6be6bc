import { CardTitle } from '@/components/ui/card';
import { invoiceSections, type InvoiceDocumentData } from '@/lib/invoicing/document';

// What the PDF says about items, totals and payments, as the member's page and the client's pay
// page show it: the member's page nests it under the invoice's title (h3), the pay page gives
// each section its own title.
const SHOWN = ['Items', 'Total', 'Payments'];

export function InvoiceSummary({ invoice, nested }: { invoice: InvoiceDocumentData; nested: boolean }) {
  return invoiceSections(invoice)
    .filter((s) => SHOWN.includes(s.heading))
    .map((section) => (
      <div key={section.heading} className={nested ? 'mt-4' : 'mb-4'}>
        {nested ? (
          <h3 className="text-sm font-semibold text-slate-700">{section.heading}</h3>
        ) : (
          <CardTitle>{section.heading}</CardTitle>
        )}
        <dl className="mt-1 divide-y divide-slate-100 text-sm">
          {section.rows.map(([label, value], i) => (
            <div key={i} className="flex justify-between py-1">
              <dt>{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    ));
}
