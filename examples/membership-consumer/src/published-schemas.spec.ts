import { PublishedSchemas } from './published-schemas';

const schemas = PublishedSchemas.load();
const ADDED = 'urn:profile-groups:events:MemberAdded:v1';
const REMOVED = 'urn:profile-groups:events:MemberRemoved:v1';
const removal = {
  group_definition_id: 7,
  profile_id: 'p-1',
  membership_id: 'm-1',
  removed_at: '2026-12-01T11:00:00.000Z',
  reason: 'expired',
  removed_reason: null,
  removed_by_profile_id: null,
};

describe('PublishedSchemas (docs/events)', () => {
  it('accepts an event that follows its schema', () => {
    expect(schemas.problem('MemberRemoved', REMOVED, removal)).toBeNull();
  });

  it('names what is wrong with one that does not', () => {
    expect(schemas.problem('MemberRemoved', REMOVED, { ...removal, reason: 'bored' })).toMatch(
      /\/reason must be equal to one of the allowed values/,
    );
    expect(schemas.problem('MemberRemoved', REMOVED, { ...removal, removed_at: 'soon' })).toMatch(
      /\/removed_at must match format "date-time"/,
    );
    const { membership_id: _dropped, ...partial } = removal;
    expect(schemas.problem('MemberRemoved', REMOVED, partial)).toMatch(/membership_id/);
  });

  it('refuses an unknown schema, and a type naming the schema of another type', () => {
    expect(
      schemas.problem('MemberRemoved', 'urn:profile-groups:events:MemberRemoved:v9', removal),
    ).toMatch(/unknown schema/);
    expect(schemas.problem('MemberRemoved', ADDED, removal)).toMatch(
      /not the schema of MemberRemoved/,
    );
  });
});
