// PostgreSQL's text cannot hold a NUL, and a lone UTF-16 surrogate is not
// text at all: such input is refused at the boundary (400 for a body, 404 for
// a path id), before it can reach a query or leave half a purchase behind.

/** True when PostgreSQL can store this string as text. */
export function storableText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

/** The first string (value or key) in a parsed JSON body that PostgreSQL cannot store, as a path; null when none. */
export function unstorableTextIn(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!storableText(item)) return path || '(body)';
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${path}[${i}]`]));
    } else if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (!storableText(key)) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}
