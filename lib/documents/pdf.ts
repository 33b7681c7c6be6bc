import 'server-only';
import PDFDocument from 'pdfkit';

// The one document layout behind every PDF the app issues (payment receipts, client invoices):
// a heading, an optional banner, then titled sections of label/value rows. Callers decide the
// words; this module only lays them out, in pdfkit's built-in Helvetica (no font files to ship).

export type DocumentRow = [label: string, value: string];

export interface DocumentSection {
  heading: string;
  rows: DocumentRow[];
  /** Values in a column at the right (amounts) or just after the label (details). */
  align: 'left' | 'right';
  boldLast?: boolean;
}

export interface DocumentSpec {
  /** Big name at the top: who issues the document. */
  issuer: string;
  /** The kind under it ("Receipt", "Invoice INV-0001"). */
  kind: string;
  banner: string | null;
  sections: DocumentSection[];
  footer: string;
  info: { Title: string; Author: string; Subject: string };
}

// The built-in Helvetica encodes WinAnsi only; anything else (CJK, emoji) would
// print as garbage, so it prints as "?". Embedding a TTF font would lift this.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function pdfText(text: string): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)
      ? char
      : '?';
  }).join('');
}

// Layout, in PDF points on an A4 page.
const LEFT = 56;
const RIGHT = 539;
const VALUE_X = 200;

function section(doc: PDFKit.PDFDocument, { heading, rows, align, boldLast }: DocumentSection) {
  if (rows.length === 0) return;
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(11).fillColor('#111827').text(pdfText(heading), LEFT);
  doc
    .moveTo(LEFT, doc.y + 2)
    .lineTo(RIGHT, doc.y + 2)
    .strokeColor('#d1d5db')
    .stroke();
  doc.moveDown(0.5);
  rows.forEach(([label, value], index) => {
    const bold = boldLast && index === rows.length - 1;
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .fillColor('#374151');
    if (align === 'right') {
      doc.text(pdfText(label), LEFT, y, { width: 330 });
      const labelBottom = doc.y;
      doc.text(pdfText(value), LEFT + 340, y, { width: RIGHT - LEFT - 340, align: 'right' });
      doc.y = Math.max(labelBottom, doc.y) + 3;
    } else {
      doc.text(pdfText(label), LEFT, y, { width: VALUE_X - LEFT - 10 });
      const labelBottom = doc.y;
      doc.fillColor('#111827').text(pdfText(value), VALUE_X, y, { width: RIGHT - VALUE_X });
      doc.y = Math.max(labelBottom, doc.y) + 3;
    }
  });
}

export function renderDocumentPdf(spec: DocumentSpec): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: {
      Title: pdfText(spec.info.Title),
      Author: pdfText(spec.info.Author),
      Subject: pdfText(spec.info.Subject),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(22).fillColor('#111827').text(pdfText(spec.issuer), LEFT, LEFT);
  doc.font('Helvetica').fontSize(12).fillColor('#6b7280').text(pdfText(spec.kind));
  if (spec.banner) {
    doc
      .moveDown(0.6)
      .font('Helvetica-Bold')
      .fontSize(12)
      .fillColor('#b91c1c')
      .text(pdfText(spec.banner), LEFT);
  }
  for (const part of spec.sections) section(doc, part);
  doc.moveDown(2).font('Helvetica').fontSize(8).fillColor('#6b7280').text(pdfText(spec.footer), LEFT);

  doc.end();
  return done;
}
