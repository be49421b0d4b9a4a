import { type Page } from '@profile-groups/read-models';

import { type RequestLocation } from '../request/request.decorators';

export interface PageLinks {
  readonly first: string;
  readonly last: string;
  readonly prev: string | null;
  readonly next: string | null;
}

export interface PageMeta {
  readonly current_page: number;
  readonly from: number | null;
  readonly last_page: number;
  readonly path: string;
  readonly per_page: number;
  readonly to: number | null;
  readonly total: number;
}

export interface Paginated<T> {
  readonly data: T[];
  readonly links: PageLinks;
  readonly meta: PageMeta;
}

const PAGE_KEYS = ['page[number]', 'page[size]'];

/**
 * The list envelope of API.md: data plus links and meta. Links repeat the request's
 * other query parameters, so a filtered list pages through the same filter.
 */
export function paginate<T, R>(
  page: Page<T>,
  location: RequestLocation,
  toResource: (item: T) => R,
): Paginated<R> {
  const { number, size } = page.page;
  const lastPage = Math.max(1, Math.ceil(page.total / size));
  const { path } = location;
  const others = new URLSearchParams(location.query);
  PAGE_KEYS.forEach((key) => others.delete(key));
  const base = others.toString();
  const link = (target: number) =>
    `${path}?${base === '' ? '' : `${base}&`}page[number]=${target}&page[size]=${size}`;
  const from = page.items.length > 0 ? (number - 1) * size + 1 : null;

  return {
    data: page.items.map(toResource),
    links: {
      first: link(1),
      last: link(lastPage),
      prev: number > 1 ? link(Math.min(number - 1, lastPage)) : null,
      next: number < lastPage ? link(number + 1) : null,
    },
    meta: {
      current_page: number,
      from,
      last_page: lastPage,
      path,
      per_page: size,
      to: from === null ? null : from + page.items.length - 1,
      total: page.total,
    },
  };
}
