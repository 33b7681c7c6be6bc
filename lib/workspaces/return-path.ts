/**
 * Only a path of this app is a place to return to after switching workspace; anything else
 * (another origin, `//host`, a backslash or control character browsers may read as one)
 * goes to the dashboard.
 */
export function safeReturnPath(path: string): string {
  const ok =
    path.length <= 2000 && path.startsWith('/') && !path.startsWith('//') && !/[\\\p{Cc}]/u.test(path);
  return ok ? path : '/dashboard';
}
