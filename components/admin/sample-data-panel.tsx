import { loadSampleDataAction, removeSampleDataAction } from '@/app/admin/_actions/sample-data';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';

export function SampleDataPanel({ loaded }: { loaded: boolean }) {
  return (
    <Card>
      <CardTitle>Sample data</CardTitle>
      <p className="mt-1 text-sm text-slate-600">
        Explore the back office with a sample customer, subscription, invoice, payment and refund. Sample rows
        are marked as such and are removed automatically the first time the app starts with a live key.
      </p>
      <form action={loaded ? removeSampleDataAction : loadSampleDataAction} className="mt-4">
        <Button type="submit" variant="secondary">
          {loaded ? 'Remove sample data' : 'Load sample data'}
        </Button>
      </form>
    </Card>
  );
}
