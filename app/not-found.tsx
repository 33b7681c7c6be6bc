import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="text-3xl font-bold">Page not found</h1>
      <p className="text-slate-600">
        The page you asked for does not exist, or you do not have access to it.
      </p>
      <Link href="/" className="font-semibold text-indigo-600 hover:text-indigo-500">
        Back to the home page
      </Link>
    </main>
  );
}
