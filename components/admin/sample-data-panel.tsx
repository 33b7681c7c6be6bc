import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';

export function SampleDataPanel({
  loaded,
  load,
  remove,
}: {
  loaded: boolean;
  load: (formData: FormData) => Promise<void>;
  remove: (formData: FormData) => Promise<void>;
}) {
  return (
    <Card>
      <CardTitle>Sample data</CardTitle>
      <p className="mt-1 text-sm text-slate-600">
        Explore the back office with a sample customer, subscription, invoice, payment and refund. Sample rows
        are marked as such and are removed automatically the first time the app starts with a live key.
      </p>
      <form action={loaded ? remove : load} className="mt-4">
        <Button type="submit" variant="secondary">
          {loaded ? 'Remove sample data' : 'Load sample data'}
        </Button>
      </form>
    </Card>
  );
}
