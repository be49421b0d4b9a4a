import {
  type ConnectionStatus,
  type GroupDefinitionEvent,
  type MembershipEvent,
} from '@profile-groups/contracts';

import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import { DomainError } from '../shared/domain-error';
import {
  type AddMember,
  type ApplyConnectionOutcome,
  decideMembership,
  type MembershipCommand,
  type RemoveMember,
} from './membership.decide';
import { evolveMembership, type MembershipState, NO_MEMBERSHIP } from './membership.state';

const NOW = new Date('2026-04-05T12:00:00.000Z');
const OWNER = 'stylist-9';
const CLIENT = 'client-7';

function favourite(kind: 'instance' | 'definition', ...later: GroupDefinitionEvent[]) {
  const attributes = {
    name: 'My clients',
    handle: kind === 'instance' ? `stylist-clients@${OWNER}` : 'stylist-clients',
    type: 'favourite' as const,
    source_type: 'stylist-client',
    source_id: kind === 'instance' ? '40' : null,
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
    owner_profile_id: kind === 'instance' ? OWNER : null,
    meta: null,
  };
  const flags = { is_published: false, is_active: true, is_archived: false };
  const first: GroupDefinitionEvent =
    kind === 'instance'
      ? {
          type: 'FavouriteGroupActivated',
          data: {
            group_definition_id: 43,
            favourite_definition_id: 40,
            owner_profile_id: OWNER,
            definition: attributes,
            flags,
            activated_at: '2026-04-03T09:00:00.000Z',
          },
        }
      : {
          type: 'GroupDefinitionCreated',
          data: {
            group_definition_id: 43,
            definition: attributes,
            flags,
            created_at: '2026-04-03T09:00:00.000Z',
          },
        };

  return [first, ...later].reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
}

const INSTANCE = favourite('instance');

function connection(status: ConnectionStatus = 'accepted', type = 'stylist-client') {
  return { type, status };
}

function outcome(
  link: ApplyConnectionOutcome['connection'],
  membershipId = 'm-new',
): ApplyConnectionOutcome {
  return {
    kind: 'ApplyConnectionOutcome',
    profileId: CLIENT,
    connection: link,
    membershipId,
    now: NOW,
  };
}

function manualAdd(overrides: Partial<AddMember> = {}): AddMember {
  return {
    kind: 'AddMember',
    profileId: CLIENT,
    membershipId: 'm-manual',
    addedByProfileId: OWNER,
    sourceType: null,
    sourceId: null,
    meta: null,
    ownerProfileId: OWNER,
    now: NOW,
    ...overrides,
  };
}

function manualRemove(overrides: Partial<RemoveMember> = {}): RemoveMember {
  return {
    kind: 'RemoveMember',
    profileId: CLIENT,
    reason: 'manual',
    removedReason: 'Moved away',
    removedByProfileId: OWNER,
    ownerProfileId: OWNER,
    now: NOW,
    ...overrides,
  };
}

/** Decides each command on the state the previous ones left; returns every event. */
function play(
  group: GroupDefinitionState | null,
  ...commands: MembershipCommand[]
): { events: MembershipEvent[]; state: MembershipState } {
  let state = NO_MEMBERSHIP;
  const events: MembershipEvent[] = [];
  for (const command of commands) {
    const emitted = decideMembership(group, state, command);
    events.push(...emitted);
    state = emitted.reduce(evolveMembership, state);
  }

  return { events, state };
}

function refusal(group: GroupDefinitionState | null, command: MembershipCommand): DomainError {
  try {
    decideMembership(group, NO_MEMBERSHIP, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('favourite instance memberships', () => {
  describe('ApplyConnectionOutcome', () => {
    it('admits an accepted connection of the instance type, naming the connection and owner', () => {
      expect(play(INSTANCE, outcome(connection())).events).toEqual([
        {
          type: 'MemberAdded',
          data: {
            group_definition_id: 43,
            profile_id: CLIENT,
            membership_id: 'm-new',
            added_at: NOW.toISOString(),
            expires_at: null,
            added_by_profile_id: null,
            source_type: 'connection',
            source_id: 'stylist-client',
            meta: null,
            owner_profile_id: OWNER,
          },
        },
      ]);
    });

    it.each([
      ['pending', connection('pending')],
      ['declined', connection('declined')],
      ['blocked', connection('blocked')],
      ['of another type', connection('accepted', 'household')],
      ['gone', null],
    ])('admits no one for a connection that is %s', (_name, link) => {
      expect(play(INSTANCE, outcome(link)).events).toEqual([]);
    });

    it.each([
      ['declined', connection('declined')],
      ['blocked', connection('blocked')],
      ['retyped', connection('accepted', 'household')],
      ['removed', null],
    ])(
      'ends a connection-made membership whose connection is %s (reason connection)',
      (_n, link) => {
        const { events } = play(INSTANCE, outcome(connection(), 'm-1'), outcome(link));

        expect(events[1]).toEqual({
          type: 'MemberRemoved',
          data: {
            group_definition_id: 43,
            profile_id: CLIENT,
            membership_id: 'm-1',
            removed_at: NOW.toISOString(),
            reason: 'connection',
            removed_reason: null,
            removed_by_profile_id: null,
            owner_profile_id: OWNER,
          },
        });
      },
    );

    it('is a no-op when applied again to the state it produced (redelivery)', () => {
      const { events, state } = play(INSTANCE, outcome(connection()));

      expect(events).toHaveLength(1);
      expect(decideMembership(INSTANCE, state, outcome(connection()))).toEqual([]);
      expect(decideMembership(INSTANCE, NO_MEMBERSHIP, outcome(null))).toEqual([]);
    });

    it('takes no one new into an archived instance, and still lets connections end', () => {
      const archived = favourite('instance', {
        type: 'GroupDefinitionArchived',
        data: { group_definition_id: 43, updated_at: NOW.toISOString() },
      });
      const member = play(INSTANCE, outcome(connection(), 'm-1')).state;

      expect(play(archived, outcome(connection())).events).toEqual([]);
      expect(decideMembership(archived, member, outcome(null))).toMatchObject([
        { type: 'MemberRemoved', data: { reason: 'connection' } },
      ]);
    });

    it('leaves every group but a live favourite instance alone', () => {
      const deleted = favourite('instance', {
        type: 'GroupDefinitionDeleted',
        data: { group_definition_id: 43, handle: 'x', deleted_at: NOW.toISOString() },
      });

      expect(play(null, outcome(connection())).events).toEqual([]);
      expect(play(deleted, outcome(connection())).events).toEqual([]);
      expect(play(favourite('definition'), outcome(connection())).events).toEqual([]);
    });
  });

  describe('manual actions win over connections until the opposite manual action', () => {
    it('keeps a manually removed profile out when its connection is accepted again', () => {
      const { events, state } = play(
        INSTANCE,
        outcome(connection(), 'm-1'),
        manualRemove(),
        outcome(connection('declined')),
        outcome(connection(), 'm-2'),
      );

      expect(events.map((e) => e.type)).toEqual(['MemberAdded', 'MemberRemoved']);
      expect(events[1]).toMatchObject({
        data: {
          reason: 'manual',
          removed_reason: 'Moved away',
          removed_by_profile_id: OWNER,
          owner_profile_id: OWNER,
        },
      });
      expect(state.last_manual_action).toBe('removed');
    });

    it('lets a manual add undo a manual removal; the connection then ends neither', () => {
      const { events } = play(
        INSTANCE,
        outcome(connection(), 'm-1'),
        manualRemove(),
        outcome(connection(), 'm-x'),
        manualAdd({ membershipId: 'm-2' }),
        outcome(null),
      );

      expect(events.map((e) => [e.type, e.data.membership_id])).toEqual([
        ['MemberAdded', 'm-1'],
        ['MemberRemoved', 'm-1'],
        ['MemberAdded', 'm-2'],
      ]);
      expect(events[2]).toMatchObject({
        data: { source_type: null, added_by_profile_id: OWNER, owner_profile_id: OWNER },
      });
    });

    it('keeps a manually added profile when its connection breaks or goes', () => {
      const { events, state } = play(
        INSTANCE,
        manualAdd(),
        outcome(connection()),
        outcome(connection('blocked')),
        outcome(null),
      );

      expect(events).toHaveLength(1);
      expect(state.current).toMatchObject({ membership_id: 'm-manual', source_type: null });
    });

    it('after the manual add of a connection-made member, still follows the connection', () => {
      // Adding a current member stores nothing (added and removed alternate), so there
      // is no manual action to remember: the connection still decides.
      const { events } = play(INSTANCE, outcome(connection(), 'm-1'), manualAdd(), outcome(null));

      expect(events.map((e) => e.type)).toEqual(['MemberAdded', 'MemberRemoved']);
    });
  });

  describe('period and absolute_expiry', () => {
    const CAP = '2026-06-01T00:00:00.000Z';
    /** An instance activated from a definition with `period` and `absolute_expiry`. */
    function timed(absoluteExpiry: string | null = CAP) {
      return favourite('instance', {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 43,
          changes: { period: 3, period_type: 'days', absolute_expiry: absoluteExpiry },
          updated_at: '2026-04-03T09:00:00.000Z',
        },
      });
    }
    const expire = (membershipId: string, now: Date): MembershipCommand => ({
      kind: 'ExpireMember',
      profileId: CLIENT,
      membershipId,
      now,
    });

    it('times a manual addition by period, and a connection-made membership by the cap only', () => {
      expect(play(timed(), manualAdd()).events[0]).toMatchObject({
        data: { expires_at: '2026-04-08T12:00:00.000Z' },
      });
      expect(play(timed(), outcome(connection())).events[0]).toMatchObject({
        data: { expires_at: CAP, source_type: 'connection' },
      });
      expect(play(timed(null), outcome(connection())).events[0]).toMatchObject({
        data: { expires_at: null },
      });
    });

    it('admits no one once absolute_expiry has passed: a connection adds nothing, a manual add is refused', () => {
      const late = new Date('2026-06-01T00:00:00.000Z');

      expect(play(timed(), { ...outcome(connection()), now: late }).events).toEqual([]);
      expect(refusal(timed(), manualAdd({ now: late })).code).toBe('group_expired');
    });

    it('after a manual addition expires, admits the profile again only while a connection counts', () => {
      const due = new Date('2026-04-09T00:00:00.000Z');
      const expired = play(timed(), manualAdd(), expire('m-manual', due));

      expect(expired.state).toEqual(NO_MEMBERSHIP);
      expect(
        decideMembership(timed(), expired.state, {
          ...outcome(connection('pending')),
          now: due,
        }),
      ).toEqual([]);
      expect(
        decideMembership(timed(), expired.state, { ...outcome(connection()), now: due }),
      ).toMatchObject([
        { type: 'MemberAdded', data: { source_type: 'connection', expires_at: CAP } },
      ]);
    });
  });

  describe('manual actions go through the owner only', () => {
    it.each([
      ['add', manualAdd({ ownerProfileId: undefined })],
      ['remove', manualRemove({ ownerProfileId: undefined })],
    ])('refuses a %s without the owner (a static-group endpoint) as wrong_group_type', (_, c) => {
      expect(refusal(INSTANCE, c).code).toBe('wrong_group_type');
    });

    it.each([
      ['another profile`s instance', INSTANCE, manualAdd({ ownerProfileId: 'someone-else' })],
      ['a favourite definition', favourite('definition'), manualAdd()],
      ['a static group', favourite('definition', staticType()), manualRemove()],
    ])('answers not_found for %s', (_name, group, command) => {
      expect(refusal(group, command).code).toBe('not_found');
    });
  });

  it('keep added and removed alternating for any mix of connection and manual commands', () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const commands = Array.from({ length: 30 }, (_, i) => randomCommand(random, i));
      let state = NO_MEMBERSHIP;
      let open: string | null = null;
      for (const command of commands) {
        let emitted: MembershipEvent[] = [];
        try {
          emitted = decideMembership(INSTANCE, state, command);
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'not_a_member')) throw error;
        }
        for (const event of emitted) {
          if (event.type === 'MemberAdded' && open !== null) problems.push(`seed ${seed}: add`);
          if (event.type === 'MemberRemoved' && open !== event.data.membership_id) {
            problems.push(`seed ${seed}: removal of ${event.data.membership_id}`);
          }
          if (event.data.owner_profile_id !== OWNER) problems.push(`seed ${seed}: no owner`);
          open = event.type === 'MemberAdded' ? event.data.membership_id : null;
        }
        state = emitted.reduce(evolveMembership, state);
        const removedByHand = state.last_manual_action === 'removed';
        if (removedByHand && state.current !== null) problems.push(`seed ${seed}: back in`);
      }
    }

    expect(problems).toEqual([]);
  });
});

/** Turns the test definition into a static group, the way a type change would read. */
function staticType(): GroupDefinitionEvent {
  return {
    type: 'GroupDefinitionUpdated',
    data: { group_definition_id: 43, changes: { type: 'static' }, updated_at: NOW.toISOString() },
  };
}

function randomCommand(random: () => number, step: number): MembershipCommand {
  const pick = random();
  const statuses: ConnectionStatus[] = ['pending', 'accepted', 'declined', 'blocked'];
  if (pick < 0.5) {
    const link =
      random() < 0.2
        ? null
        : connection(statuses[Math.floor(random() * 4)], random() < 0.8 ? 'stylist-client' : 'x');

    return outcome(link, `m-${step}`);
  }

  return pick < 0.75 ? manualAdd({ membershipId: `m-${step}` }) : manualRemove();
}

function prng(seed: number): () => number {
  let a = seed >>> 0;

  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
