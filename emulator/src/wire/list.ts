import type { ListObject } from '../types';
import { invalidRequest } from './errors';

export interface PageParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

/** Newest first, like Stripe; ties (same second) keep the later-created row first. */
export function newestFirst<T extends { created: number }>(rows: T[]): T[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => b.row.created - a.row.created || b.index - a.index)
    .map(({ row }) => row);
}

/**
 * One page of `rows` (already filtered and ordered) as Stripe's list object. `starting_after`
 * pages forward, `ending_before` backward; both name an object of the list.
 */
export function paginate<T extends { id: string }>(rows: T[], page: PageParams, url: string): ListObject<T> {
  const limit = page.limit ?? 10;
  if (page.starting_after !== undefined && page.ending_before !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
      validation: true,
    });
  }
  const cursorIndex = (id: string, param: string) => {
    const index = rows.findIndex((row) => row.id === id);
    if (index < 0)
      throw invalidRequest(`No such object: '${id}'`, { param, code: 'resource_missing', validation: true });
    return index;
  };
  if (page.ending_before !== undefined) {
    const end = cursorIndex(page.ending_before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: rows.slice(start, end), has_more: start > 0, url };
  }
  const start =
    page.starting_after !== undefined ? cursorIndex(page.starting_after, 'starting_after') + 1 : 0;
  return {
    object: 'list',
    data: rows.slice(start, start + limit),
    has_more: start + limit < rows.length,
    url,
  };
}
