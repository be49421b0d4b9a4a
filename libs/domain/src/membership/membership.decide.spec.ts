import {
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
  type MembershipEvent,
} from '@profile-groups/contracts';

import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import { DomainError } from '../shared/domain-error';
import { type AddMember, decideMembership, type MembershipCommand } from './membership.decide';
import { evolveMembership, type MembershipState, NO_MEMBERSHIP } from './membership.state';

const NOW = new Date('2026-01-31T15:00:00.000Z');

const BASE: GroupDefinitionAttributes = {
  name: 'Loyalty pilot',
  handle: 'loyalty-pilot',
  type: 'static',
  source_type: null,
  source_id: null,
  query: null,
  query_type: null,
  arguments: null,
  period: null,
  period_type: null,
  absolute_expiry: null,
  refresh_period: null,
  refresh_period_type: null,
  refresh_absolute_expiry: null,
  short_description: null,
  description: null,
  owner_profile_id: null,
  meta: null,
};

const LIVE_FLAGS: GroupDefinitionFlags = {
  is_published: true,
  is_active: true,
  is_archived: false,
};

function group(
  attributes: Partial<GroupDefinitionAttributes> = {},
  ...later: GroupDefinitionEvent[]
): GroupDefinitionState | null {
  const createdEvent: GroupDefinitionEvent = {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 12,
      definition: { ...BASE, ...attributes },
      flags: LIVE_FLAGS,
      created_at: '2026-01-01T00:00:00.000Z',
    },
  };

  return [createdEvent, ...later].reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
}

const archived: GroupDefinitionEvent = {
  type: 'GroupDefinitionArchived',
  data: { group_definition_id: 12, updated_at: '2026-01-10T00:00:00.000Z' },
};

const deleted: GroupDefinitionEvent = {
  type: 'GroupDefinitionDeleted',
  data: {
    group_definition_id: 12,
    handle: 'loyalty-pilot',
    deleted_at: '2026-01-20T00:00:00.000Z',
  },
};

function added(membershipId: string, expiresAt: string | null = null): MembershipEvent {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: 12,
      profile_id: 'profile-1',
      membership_id: membershipId,
      added_at: '2026-01-15T08:00:00.000Z',
      expires_at: expiresAt,
      added_by_profile_id: null,
      source_type: null,
      source_id: null,
      meta: null,
    },
  };
}

function removed(membershipId: string): MembershipEvent {
  return {
    type: 'MemberRemoved',
    data: {
      group_definition_id: 12,
      profile_id: 'profile-1',
      membership_id: membershipId,
      removed_at: '2026-01-16T08:00:00.000Z',
      reason: 'manual',
      removed_reason: null,
      removed_by_profile_id: null,
    },
  };
}

function member(...events: MembershipEvent[]): MembershipState {
  return events.reduce(evolveMembership, NO_MEMBERSHIP);
}

function add(overrides: Partial<AddMember> = {}): AddMember {
  return {
    kind: 'AddMember',
    profileId: 'profile-1',
    membershipId: 'membership-new',
    addedByProfileId: 'operator-9',
    sourceType: 'import',
    sourceId: 'batch-2026-01',
    meta: { note: 'pilot cohort' },
    now: NOW,
    ...overrides,
  };
}

function removeManually(): MembershipCommand {
  return {
    kind: 'RemoveMember',
    profileId: 'profile-1',
    reason: 'manual',
    removedReason: 'Asked to leave the pilot',
    removedByProfileId: 'operator-9',
    now: NOW,
  };
}

function expire(membershipId: string, now = NOW): MembershipCommand {
  return { kind: 'ExpireMember', profileId: 'profile-1', membershipId, now };
}

function endForDeletedGroup(): MembershipCommand {
  return { kind: 'EndMembershipOfDeletedGroup', profileId: 'profile-1', now: NOW };
}

function refusal(
  definition: GroupDefinitionState | null,
  state: MembershipState,
  command: MembershipCommand,
): DomainError {
  try {
    decideMembership(definition, state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.kind} to be refused`);
}

function expiryOf(events: MembershipEvent[]): string | null | undefined {
  const [event] = events;

  return event?.type === 'MemberAdded' ? event.data.expires_at : undefined;
}

describe('decideMembership', () => {
  describe('AddMember', () => {
    it('given a static group and no membership, emits MemberAdded with the command details', () => {
      expect(decideMembership(group(), member(), add())).toEqual([
        {
          type: 'MemberAdded',
          data: {
            group_definition_id: 12,
            profile_id: 'profile-1',
            membership_id: 'membership-new',
            added_at: NOW.toISOString(),
            expires_at: null,
            added_by_profile_id: 'operator-9',
            source_type: 'import',
            source_id: 'batch-2026-01',
            meta: { note: 'pilot cohort' },
          },
        },
      ]);
    });

    it.each([
      [2, 'hours', '2026-01-31T17:00:00.000Z'],
      [30, 'days', '2026-03-02T15:00:00.000Z'],
      [1, 'months', '2026-02-28T15:00:00.000Z'],
      [1, 'years', '2027-01-31T15:00:00.000Z'],
    ] as const)('sets expires_at %s %s after the add', (period, periodType, expiresAt) => {
      const events = decideMembership(group({ period, period_type: periodType }), member(), add());

      expect(expiryOf(events)).toBe(expiresAt);
    });

    it('caps the period-based expiry at the group absolute_expiry', () => {
      const events = decideMembership(
        group({ period: 90, period_type: 'days', absolute_expiry: '2026-02-10T00:00:00Z' }),
        member(),
        add(),
      );

      expect(expiryOf(events)).toBe('2026-02-10T00:00:00.000Z');
    });

    it('keeps the period-based expiry when it comes before absolute_expiry', () => {
      const events = decideMembership(
        group({ period: 1, period_type: 'weeks', absolute_expiry: '2026-12-31T23:59:59Z' }),
        member(),
        add(),
      );

      expect(expiryOf(events)).toBe('2026-02-07T15:00:00.000Z');
    });

    it('uses absolute_expiry alone when the group has no period', () => {
      const events = decideMembership(
        group({ absolute_expiry: '2026-06-30T22:00:00.000Z' }),
        member(),
        add(),
      );

      expect(expiryOf(events)).toBe('2026-06-30T22:00:00.000Z');
    });

    it.each(['2026-01-31T14:59:59.999Z', NOW.toISOString()])(
      'refuses with group_expired when absolute_expiry %s is not in the future',
      (absoluteExpiry) => {
        const error = refusal(group({ absolute_expiry: absoluteExpiry }), member(), add());

        expect(error.code).toBe('group_expired');
      },
    );

    it('given the profile is already a member, emits nothing', () => {
      expect(decideMembership(group(), member(added('membership-1')), add())).toEqual([]);
    });

    it('given an earlier membership was removed, starts a new membership', () => {
      const events = decideMembership(
        group(),
        member(added('membership-1'), removed('membership-1')),
        add({ membershipId: 'membership-2' }),
      );

      expect(events).toMatchObject([
        { type: 'MemberAdded', data: { membership_id: 'membership-2' } },
      ]);
    });

    it.each([
      [
        'dynamic',
        { type: 'dynamic' as const, query: { var: 'vip' }, query_type: 'jsonlogic' as const },
      ],
      ['favourite', { type: 'favourite' as const, source_type: 'stylist' }],
    ])('refuses a %s group with wrong_group_type', (_type, attributes) => {
      expect(refusal(group(attributes), member(), add()).code).toBe('wrong_group_type');
    });

    it('refuses an archived group with group_archived', () => {
      expect(refusal(group({}, archived), member(), add()).code).toBe('group_archived');
    });

    it.each([
      ['a deleted group', group({}, deleted)],
      ['an unknown group', null],
    ])('refuses %s with not_found', (_name, definition) => {
      expect(refusal(definition, member(), add()).code).toBe('not_found');
    });
  });

  describe('RemoveMember', () => {
    it('given a current membership, emits MemberRemoved for it with the operator details', () => {
      const events = decideMembership(group(), member(added('membership-1')), removeManually());

      expect(events).toEqual([
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 12,
            profile_id: 'profile-1',
            membership_id: 'membership-1',
            removed_at: NOW.toISOString(),
            reason: 'manual',
            removed_reason: 'Asked to leave the pilot',
            removed_by_profile_id: 'operator-9',
          },
        },
      ]);
    });

    it.each([
      ['never added', member()],
      ['already removed', member(added('membership-1'), removed('membership-1'))],
    ])('refuses a profile that was %s with not_a_member', (_name, state) => {
      expect(refusal(group(), state, removeManually()).code).toBe('not_a_member');
    });

    it('refuses on a deleted group with not_found', () => {
      const error = refusal(group({}, deleted), member(added('membership-1')), removeManually());

      expect(error.code).toBe('not_found');
    });
  });

  describe('ExpireMember', () => {
    const expiring = member(added('membership-1', '2026-01-31T12:00:00.000Z'));

    it('given the same membership is due, emits MemberRemoved with reason expired', () => {
      expect(decideMembership(group(), expiring, expire('membership-1'))).toEqual([
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 12,
            profile_id: 'profile-1',
            membership_id: 'membership-1',
            removed_at: NOW.toISOString(),
            reason: 'expired',
            removed_reason: null,
            removed_by_profile_id: null,
          },
        },
      ]);
    });

    it('expires a membership at exactly its expires_at', () => {
      const events = decideMembership(
        group(),
        expiring,
        expire('membership-1', new Date('2026-01-31T12:00:00.000Z')),
      );

      expect(events.map((e) => e.type)).toEqual(['MemberRemoved']);
    });

    it.each([
      ['is not yet due', expiring, expire('membership-1', new Date('2026-01-31T11:59:59.999Z'))],
      ['is a different membership', expiring, expire('membership-0')],
      [
        'was replaced by a later one',
        member(
          added('membership-1', '2026-01-20T00:00:00.000Z'),
          removed('membership-1'),
          added('membership-2', '2026-02-20T00:00:00.000Z'),
        ),
        expire('membership-1'),
      ],
      ['never expires', member(added('membership-1', null)), expire('membership-1')],
      [
        'is over already',
        member(added('membership-1'), removed('membership-1')),
        expire('membership-1'),
      ],
      ['does not exist', member(), expire('membership-1')],
    ])('emits nothing when the membership %s', (_name, state, command) => {
      expect(decideMembership(group(), state, command)).toEqual([]);
    });
  });

  describe('EndMembershipOfDeletedGroup', () => {
    it('given a deleted group and a current member, emits MemberRemoved with reason group_deleted', () => {
      const events = decideMembership(
        group({}, deleted),
        member(added('membership-1')),
        endForDeletedGroup(),
      );

      expect(events).toEqual([
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 12,
            profile_id: 'profile-1',
            membership_id: 'membership-1',
            removed_at: NOW.toISOString(),
            reason: 'group_deleted',
            removed_reason: null,
            removed_by_profile_id: null,
          },
        },
      ]);
    });

    it.each([
      ['the group is live', group(), member(added('membership-1'))],
      ['the group is only archived', group({}, archived), member(added('membership-1'))],
      ['the profile is no member', group({}, deleted), member()],
      [
        'the membership already ended',
        group({}, deleted),
        member(added('membership-1'), removed('membership-1')),
      ],
      ['the group is unknown', null, member(added('membership-1'))],
    ])('emits nothing when %s', (_name, definition, state) => {
      expect(decideMembership(definition, state, endForDeletedGroup())).toEqual([]);
    });
  });
});
