/**
 * JSONLogic truthiness (jsonlogic.com/truthy): JavaScript's, except that an empty array
 * is falsy. So `0`, `""`, `null` and `[]` are falsy while `"0"`, `{}` and `[0]` are truthy.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;

  return Boolean(value);
}
