import { Button } from '@/components/ui/button';

/** A back-office list's search box: a GET form that puts `q` in the URL. */
export function SearchForm({ label, placeholder, q }: { label: string; placeholder: string; q?: string }) {
  return (
    <form className="mt-4 flex gap-2" role="search">
      <label htmlFor="q" className="sr-only">
        {label}
      </label>
      <input
        id="q"
        name="q"
        defaultValue={q}
        placeholder={placeholder}
        className="w-72 rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
      />
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}
