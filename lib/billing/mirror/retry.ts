/** Deadlocks, serialization failures and unique races are settled by trying again. */
export function retryable(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  return (
    /^(40P01|40001|P2002|P2034)$/.test(code) ||
    /40P01|40001|deadlock detected|could not serialize|Unique constraint failed|P2002|P2034/.test(text)
  );
}

/** Run `fn` again (after a short, jittered pause) while it fails with a retryable error. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
    }
  }
}
