import {
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupType,
  type MembershipEvent,
} from '@profile-groups/contracts';

import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import { decideMembership, type MembershipCommand } from './membership.decide';
import { evolveMembership, type MembershipState, NO_MEMBERSHIP } from './membership.state';

const NOW = new Date('2026-06-10T11:00:00.000Z');
const PROFILE = 'a2d7c6f0-profile';

const DYNAMIC: GroupDefinitionAttributes = {
  name: 'Lapsed buyers',
  handle: 'lapsed-buyers',
  type: 'dynamic',
  source_type: null,
  source_id: null,
  query: null,
  query_type: null,
  arguments: null,
  // A rule-made membership lasts while the rules hold, whatever the group's period says.
  period: 14,
  period_type: 'days',
  absolute_expiry: '2026-07-01T00:00:00.000Z',
  refresh_period: null,
  refresh_period_type: null,
  refresh_absolute_expiry: null,
  short_description: null,
  description: null,
  owner_profile_id: null,
  meta: null,
};

function group(
  type: GroupType = 'dynamic',
  ...later: GroupDefinitionEvent[]
): GroupDefinitionState {
  const created: GroupDefinitionEvent = {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 31,
      definition: { ...DYNAMIC, type, source_type: type === 'favourite' ? 'friend' : null },
      flags: { is_published: true, is_active: true, is_archived: false },
      created_at: '2026-06-01T00:00:00.000Z',
    },
  };
  const state = [created, ...later].reduce<GroupDefinitionState | null>(
    evolveGroupDefinition,
    null,
  );
  if (state === null) throw new Error('group did not fold');

  return state;
}

const groupDeleted: GroupDefinitionEvent = {
  type: 'GroupDefinitionDeleted',
  data: {
    group_definition_id: 31,
    handle: 'lapsed-buyers',
    deleted_at: '2026-06-09T00:00:00.000Z',
  },
};

const admittedByRule: MembershipEvent = {
  type: 'MemberAdded',
  data: {
    group_definition_id: 31,
    profile_id: PROFILE,
    membership_id: 'm-1',
    added_at: '2026-06-05T00:00:00.000Z',
    expires_at: null,
    added_by_profile_id: null,
    source_type: 'rule',
    source_id: null,
    meta: null,
  },
};

const removedByRule: MembershipEvent = {
  type: 'MemberRemoved',
  data: {
    group_definition_id: 31,
    profile_id: PROFILE,
    membership_id: 'm-1',
    removed_at: '2026-06-07T00:00:00.000Z',
    reason: 'rule',
    removed_reason: null,
    removed_by_profile_id: null,
  },
};

function member(...events: MembershipEvent[]): MembershipState {
  return events.reduce(evolveMembership, NO_MEMBERSHIP);
}

function outcome(included: boolean): MembershipCommand {
  return { kind: 'ApplyRuleOutcome', profileId: PROFILE, included, membershipId: 'm-2', now: NOW };
}

const profileDeleted: MembershipCommand = {
  kind: 'EndMembershipOfDeletedProfile',
  profileId: PROFILE,
  now: NOW,
};

describe('decideMembership for rule outcomes', () => {
  describe('ApplyRuleOutcome on an archived group', () => {
    const archived: GroupDefinitionEvent = {
      type: 'GroupDefinitionArchived',
      data: { group_definition_id: 31, updated_at: '2026-06-08T00:00:00.000Z' },
    };

    it('admits no one new', () => {
      expect(decideMembership(group('dynamic', archived), member(), outcome(true))).toEqual([]);
    });

    it('still lets the rules remove a member', () => {
      const events = decideMembership(
        group('dynamic', archived),
        member(admittedByRule),
        outcome(false),
      );
      expect(events.map((event) => event.type)).toEqual(['MemberRemoved']);
    });
  });

  describe('ApplyRuleOutcome', () => {
    it('admits a profile the rules include, from source rule and without expiry', () => {
      expect(decideMembership(group(), member(), outcome(true))).toEqual([
        {
          type: 'MemberAdded',
          data: {
            group_definition_id: 31,
            profile_id: PROFILE,
            membership_id: 'm-2',
            added_at: NOW.toISOString(),
            expires_at: null,
            added_by_profile_id: null,
            source_type: 'rule',
            source_id: null,
            meta: null,
          },
        },
      ]);
    });

    it('admits again, as a new membership, a profile the rules removed before', () => {
      const events = decideMembership(
        group(),
        member(admittedByRule, removedByRule),
        outcome(true),
      );

      expect(events).toMatchObject([{ type: 'MemberAdded', data: { membership_id: 'm-2' } }]);
    });

    it('emits nothing when the included profile is already a member', () => {
      expect(decideMembership(group(), member(admittedByRule), outcome(true))).toEqual([]);
    });

    it('ends the membership of a profile the rules no longer include, with reason rule', () => {
      expect(decideMembership(group(), member(admittedByRule), outcome(false))).toEqual([
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 31,
            profile_id: PROFILE,
            membership_id: 'm-1',
            removed_at: NOW.toISOString(),
            reason: 'rule',
            removed_reason: null,
            removed_by_profile_id: null,
          },
        },
      ]);
    });

    it.each([
      ['never a member', member()],
      ['already removed', member(admittedByRule, removedByRule)],
    ])('emits nothing for an excluded profile %s', (_case, state) => {
      expect(decideMembership(group(), state, outcome(false))).toEqual([]);
    });

    it.each([true, false])('emits nothing on a deleted group (included: %s)', (included) => {
      const deletedGroup = group('dynamic', groupDeleted);

      expect(decideMembership(deletedGroup, member(admittedByRule), outcome(included))).toEqual([]);
      expect(decideMembership(deletedGroup, member(), outcome(included))).toEqual([]);
    });

    it('emits nothing for a group it cannot load', () => {
      expect(decideMembership(null, member(), outcome(true))).toEqual([]);
    });

    it.each(['static', 'favourite'] as const)(
      'emits nothing on a %s group, whose members rules do not decide',
      (type) => {
        expect(decideMembership(group(type), member(), outcome(true))).toEqual([]);
        expect(decideMembership(group(type), member(admittedByRule), outcome(false))).toEqual([]);
      },
    );

    it('alternates: applying the same outcome to the state it produced is a no-op', () => {
      const first = decideMembership(group(), member(), outcome(true));
      const after = first.reduce(evolveMembership, member());

      expect(first).toHaveLength(1);
      expect(decideMembership(group(), after, outcome(true))).toEqual([]);
    });
  });

  describe('EndMembershipOfDeletedProfile', () => {
    it('ends the current membership with reason profile_deleted', () => {
      expect(decideMembership(group(), member(admittedByRule), profileDeleted)).toEqual([
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 31,
            profile_id: PROFILE,
            membership_id: 'm-1',
            removed_at: NOW.toISOString(),
            reason: 'profile_deleted',
            removed_reason: null,
            removed_by_profile_id: null,
          },
        },
      ]);
    });

    it('ends a membership of a static group too', () => {
      const manual: MembershipEvent = {
        ...admittedByRule,
        data: { ...admittedByRule.data, source_type: null },
      };

      expect(decideMembership(group('static'), member(manual), profileDeleted)).toMatchObject([
        { type: 'MemberRemoved', data: { reason: 'profile_deleted', membership_id: 'm-1' } },
      ]);
    });

    it.each([
      ['never a member', member()],
      ['already removed', member(admittedByRule, removedByRule)],
    ])('emits nothing for a profile %s', (_case, state) => {
      expect(decideMembership(group(), state, profileDeleted)).toEqual([]);
    });

    it('emits nothing for a group it cannot load', () => {
      expect(decideMembership(null, member(admittedByRule), profileDeleted)).toEqual([]);
    });
  });
});
