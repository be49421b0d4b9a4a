import {
  applyMembershipEvent,
  currentMembers,
  emptyTable,
  type MemberAddedData,
  type MemberRemovedData,
  type MembershipEvent,
  pairKey,
} from './membership-table';

const added = (
  version: number,
  overrides: Partial<MemberAddedData> = {},
  id = `e${version}`,
): MembershipEvent => ({
  id,
  type: 'MemberAdded',
  streamVersion: version,
  data: {
    group_definition_id: 7,
    profile_id: 'p-1',
    membership_id: `m${version}`,
    added_at: '2026-12-01T10:00:00.000Z',
    expires_at: null,
    added_by_profile_id: null,
    source_type: null,
    source_id: null,
    meta: null,
    ...overrides,
  },
});

const removed = (
  version: number,
  overrides: Partial<MemberRemovedData> = {},
  id = `e${version}`,
): MembershipEvent => ({
  id,
  type: 'MemberRemoved',
  streamVersion: version,
  data: {
    group_definition_id: 7,
    profile_id: 'p-1',
    membership_id: `m${version - 1}`,
    removed_at: '2026-12-01T11:00:00.000Z',
    reason: 'manual',
    removed_reason: 'opted out',
    removed_by_profile_id: null,
    ...overrides,
  },
});

describe('applyMembershipEvent', () => {
  it('follows a pair through added, removed and added again', () => {
    const table = emptyTable();
    expect(applyMembershipEvent(table, added(1))).toBe('applied');
    expect(applyMembershipEvent(table, removed(2))).toBe('applied');
    expect(table.rows[pairKey(7, 'p-1')]).toMatchObject({
      is_member: false,
      membership_id: 'm1',
      added_at: '2026-12-01T10:00:00.000Z',
      removed_at: '2026-12-01T11:00:00.000Z',
      reason: 'manual',
      removed_reason: 'opted out',
      stream_version: 2,
    });
    expect(applyMembershipEvent(table, added(3, { expires_at: '2026-12-02T00:00:00.000Z' }))).toBe(
      'applied',
    );
    expect(table.rows[pairKey(7, 'p-1')]).toEqual({
      group_definition_id: 7,
      profile_id: 'p-1',
      is_member: true,
      membership_id: 'm3',
      added_at: '2026-12-01T10:00:00.000Z',
      expires_at: '2026-12-02T00:00:00.000Z',
      removed_at: null,
      reason: null,
      removed_reason: null,
      source_type: null,
      stream_version: 3,
      last_event_id: 'e3',
    });
  });

  it('drops a redelivery, whether it repeats the last version or an earlier one', () => {
    const table = emptyTable();
    applyMembershipEvent(table, added(1));
    applyMembershipEvent(table, removed(2));
    const before = structuredClone(table);
    expect(applyMembershipEvent(table, removed(2))).toBe('duplicate');
    expect(applyMembershipEvent(table, added(1))).toBe('duplicate');
    expect(table).toEqual(before);
  });

  it('drops another event claiming an applied version, and says so', () => {
    const table = emptyTable();
    applyMembershipEvent(table, added(1));
    const before = structuredClone(table);
    expect(applyMembershipEvent(table, removed(1, {}, 'someone-else'))).toBe('conflict');
    expect(table).toEqual(before);
  });

  it('applies after a gap and reports it', () => {
    const table = emptyTable();
    expect(applyMembershipEvent(table, removed(4, { membership_id: 'm3' }))).toBe('gap');
    expect(table.rows[pairKey(7, 'p-1')]).toMatchObject({
      is_member: false,
      added_at: null,
      stream_version: 4,
    });
  });

  it('reports events out of turn: an add to a member, a removal of another membership', () => {
    const table = emptyTable();
    applyMembershipEvent(table, added(1));
    expect(applyMembershipEvent(table, added(2))).toBe('out_of_turn');
    expect(applyMembershipEvent(table, removed(3, { membership_id: 'other' }))).toBe('out_of_turn');
  });

  it('keeps pairs apart: the same profile in two groups', () => {
    const table = emptyTable();
    applyMembershipEvent(table, added(1));
    expect(applyMembershipEvent(table, added(1, { group_definition_id: 8 }))).toBe('applied');
    expect(Object.keys(table.rows).sort()).toEqual(['7:p-1', '8:p-1']);
  });
});

describe('currentMembers', () => {
  it('lists current members, leaving out those past their expiry', () => {
    const table = emptyTable();
    applyMembershipEvent(table, added(1, { profile_id: 'a' }));
    applyMembershipEvent(table, added(1, { profile_id: 'b', expires_at: '2026-12-01T12:00:00Z' }));
    applyMembershipEvent(table, added(1, { profile_id: 'c' }));
    applyMembershipEvent(table, removed(2, { profile_id: 'c' }));
    applyMembershipEvent(table, added(1, { profile_id: 'd', group_definition_id: 8 }));

    expect(currentMembers(table, 7, new Date('2026-12-01T11:59:59Z'))).toEqual(['a', 'b']);
    expect(currentMembers(table, 7, new Date('2026-12-01T12:00:00Z'))).toEqual(['a']);
  });
});
