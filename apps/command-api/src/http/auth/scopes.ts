/** Bearer-token scopes (API.md, Conventions). The four verbs cover every groups resource. */
export const SCOPES = [
  'create-group-definitions',
  'read-group-definitions',
  'update-group-definitions',
  'delete-group-definitions',
  'write-profiles',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
