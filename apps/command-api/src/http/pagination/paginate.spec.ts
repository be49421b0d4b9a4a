import { paginate } from './paginate';

const location = { path: 'https://groups.test/api/v3/groups/definitions', query: '' };

function page(total: number, number: number, size: number) {
  const count = Math.max(0, Math.min(size, total - (number - 1) * size));

  return {
    items: Array.from({ length: count }, (_, i) => (number - 1) * size + i + 1),
    total,
    page: { number, size },
  };
}

describe('paginate', () => {
  it('describes a middle page with links both ways', () => {
    const result = paginate(page(60, 2, 25), location, (n) => ({ n }));

    expect(result.data).toHaveLength(25);
    expect(result.data[0]).toEqual({ n: 26 });
    expect(result.meta).toEqual({
      current_page: 2,
      from: 26,
      last_page: 3,
      path: location.path,
      per_page: 25,
      to: 50,
      total: 60,
    });
    expect(result.links).toEqual({
      first: `${location.path}?page[number]=1&page[size]=25`,
      last: `${location.path}?page[number]=3&page[size]=25`,
      prev: `${location.path}?page[number]=1&page[size]=25`,
      next: `${location.path}?page[number]=3&page[size]=25`,
    });
  });

  it('gives null from, to, prev and next on an empty list', () => {
    const result = paginate(page(0, 1, 25), location, (n) => n);

    expect(result.meta).toMatchObject({ from: null, to: null, last_page: 1, total: 0 });
    expect(result.links.prev).toBeNull();
    expect(result.links.next).toBeNull();
    expect(result.links.last).toBe(`${location.path}?page[number]=1&page[size]=25`);
  });

  it('keeps the other query parameters in every link and replaces the page ones', () => {
    const filtered = {
      ...location,
      query: 'type=static&page%5Bsize%5D=10&is_active=true&page[number]=2',
    };

    const result = paginate(page(30, 2, 10), filtered, (n) => n);

    expect(result.links.next).toBe(
      `${location.path}?type=static&is_active=true&page[number]=3&page[size]=10`,
    );
  });

  it('points prev at the last page when the page asked for is past the end', () => {
    const result = paginate(page(30, 9, 10), location, (n) => n);

    expect(result.meta).toMatchObject({ current_page: 9, from: null, to: null, last_page: 3 });
    expect(result.links.prev).toBe(`${location.path}?page[number]=3&page[size]=10`);
    expect(result.links.next).toBeNull();
  });
});
