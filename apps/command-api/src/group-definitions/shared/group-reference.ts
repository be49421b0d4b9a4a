/** The `{group}` path segment: a numeric id or a handle. */
export type GroupReference =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'handle'; readonly handle: string };

/** Handles are never all digits, so the two readings cannot collide. */
export const HANDLE_PATTERN = /^(?!\d+$)[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_HANDLE_LENGTH = 255;

/** Null for a segment that can name no group (the caller answers 404). */
export function parseGroupReference(segment: string): GroupReference | null {
  if (/^\d{1,15}$/.test(segment)) {
    const id = Number(segment);

    return id >= 1 ? { kind: 'id', id } : null;
  }
  if (segment.length <= MAX_HANDLE_LENGTH && HANDLE_PATTERN.test(segment)) {
    return { kind: 'handle', handle: segment };
  }

  return null;
}

/** A handle derived from a name: `VIP Customers` becomes `vip-customers`. */
export function handleFromName(name: string): string | null {
  const handle = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_HANDLE_LENGTH)
    .replace(/-+$/, '');

  return HANDLE_PATTERN.test(handle) ? handle : null;
}
