import {
  type GroupDefinitionEvent,
  type MembershipEvent,
  type RemovalReason,
} from '@profile-groups/contracts';

import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import { DomainError, type DomainErrorCode } from '../shared/domain-error';
import { decideMembership, type MembershipCommand } from './membership.decide';
import { evolveMembership, type MembershipState, NO_MEMBERSHIP } from './membership.state';

/** mulberry32: a tiny deterministic PRNG, so a failing seed can be replayed. */
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

const START = Date.parse('2026-01-01T00:00:00.000Z');
const SEQUENCES = 300;

/** Refusals a random command may meet; any other error fails the test. */
const EXPECTED_REFUSALS: readonly DomainErrorCode[] = [
  'not_a_member',
  'group_expired',
  'not_found',
];

function staticGroup(random: () => number): GroupDefinitionState | null {
  const period = random() < 0.8 ? 1 + Math.floor(random() * 6) : null;
  const created: GroupDefinitionEvent = {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 3,
      definition: {
        name: 'Random walk',
        handle: 'random-walk',
        type: 'static',
        source_type: null,
        source_id: null,
        query: null,
        query_type: null,
        arguments: null,
        period,
        period_type: period === null ? null : 'hours',
        absolute_expiry:
          random() < 0.3 ? new Date(START + random() * 3 * 86_400_000).toISOString() : null,
        refresh_period: null,
        refresh_period_type: null,
        refresh_absolute_expiry: null,
        short_description: null,
        description: null,
        owner_profile_id: null,
        meta: null,
      },
      flags: { is_published: true, is_active: true, is_archived: false },
      created_at: new Date(START).toISOString(),
    },
  };

  return evolveGroupDefinition(null, created);
}

interface Run {
  readonly events: MembershipEvent[];
  readonly unexpected: string[];
}

function run(seed: number): Run {
  const random = prng(seed);
  let group = staticGroup(random);
  let state: MembershipState = NO_MEMBERSHIP;
  const length = 5 + Math.floor(random() * 40);
  const deleteAt = random() < 0.3 ? Math.floor(random() * length) : -1;
  const seenMemberships: string[] = [];
  const events: MembershipEvent[] = [];
  const unexpected: string[] = [];
  let clock = START;

  for (let step = 0; step < length; step++) {
    clock += Math.floor(random() * 180) * 60_000;
    const now = new Date(clock);
    if (step === deleteAt && group !== null) {
      group = evolveGroupDefinition(group, {
        type: 'GroupDefinitionDeleted',
        data: { group_definition_id: 3, handle: 'random-walk', deleted_at: now.toISOString() },
      });
    }
    const command = randomCommand(random, step, now, state, seenMemberships);
    try {
      const emitted = decideMembership(group, state, command);
      if (emitted.length > 1) unexpected.push(`step ${step}: ${emitted.length} events`);
      events.push(...emitted);
      state = emitted.reduce(evolveMembership, state);
      for (const event of emitted) {
        if (event.type === 'MemberAdded') seenMemberships.push(event.data.membership_id);
      }
    } catch (error) {
      if (!(error instanceof DomainError) || !EXPECTED_REFUSALS.includes(error.code)) {
        unexpected.push(`step ${step}: ${command.kind} threw ${String(error)}`);
      }
    }
  }

  return { events, unexpected };
}

function randomCommand(
  random: () => number,
  step: number,
  now: Date,
  state: MembershipState,
  seen: readonly string[],
): MembershipCommand {
  const pick = random();
  if (pick < 0.4) {
    return {
      kind: 'AddMember',
      profileId: 'profile-r',
      membershipId: `membership-${step}`,
      addedByProfileId: null,
      sourceType: null,
      sourceId: null,
      meta: null,
      now,
    };
  }
  if (pick < 0.6) {
    return {
      kind: 'RemoveMember',
      profileId: 'profile-r',
      reason: 'manual',
      removedReason: null,
      removedByProfileId: null,
      now,
    };
  }
  if (pick < 0.9) {
    // Mostly the current membership; sometimes a stale or unknown one.
    const stale = seen[Math.floor(random() * seen.length)] ?? 'membership-unknown';
    const membershipId =
      state.current !== null && random() < 0.7 ? state.current.membership_id : stale;

    return { kind: 'ExpireMember', profileId: 'profile-r', membershipId, now };
  }

  return { kind: 'EndMembershipOfDeletedGroup', profileId: 'profile-r', now };
}

/** Describes where a pair's event list stops alternating, or returns null when it does not. */
function alternationBreak(events: readonly MembershipEvent[]): string | null {
  const ids = new Set<string>();
  let open: string | null = null;
  for (const [i, event] of events.entries()) {
    if (event.type === 'MemberAdded') {
      if (open !== null) return `event ${i}: MemberAdded while ${open} is open`;
      if (ids.has(event.data.membership_id)) return `event ${i}: membership id reused`;
      ids.add(event.data.membership_id);
      open = event.data.membership_id;
    } else {
      if (open === null) return `event ${i}: MemberRemoved without a membership`;
      if (event.data.membership_id !== open) {
        return `event ${i}: removes ${event.data.membership_id}, not ${open}`;
      }
      open = null;
    }
  }

  return null;
}

describe('membership events per (group, profile) pair', () => {
  let runs: (Run & { seed: number })[] = [];

  beforeAll(() => {
    runs = Array.from({ length: SEQUENCES }, (_, i) => ({ seed: 1_000 + i, ...run(1_000 + i) }));
  });

  it('are checked by a detector that notices each way alternation can break', () => {
    const add = (id: string): MembershipEvent => ({
      type: 'MemberAdded',
      data: {
        group_definition_id: 3,
        profile_id: 'profile-r',
        membership_id: id,
        added_at: '2026-01-01T00:00:00.000Z',
        expires_at: null,
        added_by_profile_id: null,
        source_type: null,
        source_id: null,
        meta: null,
      },
    });
    const remove = (id: string): MembershipEvent => ({
      type: 'MemberRemoved',
      data: {
        group_definition_id: 3,
        profile_id: 'profile-r',
        membership_id: id,
        removed_at: '2026-01-01T01:00:00.000Z',
        reason: 'manual',
        removed_reason: null,
        removed_by_profile_id: null,
      },
    });

    expect(alternationBreak([add('m-1'), remove('m-1'), add('m-2')])).toBeNull();
    expect(alternationBreak([add('m-1'), add('m-2')])).toMatch(/MemberAdded while m-1/);
    expect(alternationBreak([remove('m-1')])).toMatch(/without a membership/);
    expect(alternationBreak([add('m-1'), remove('m-2')])).toMatch(/removes m-2, not m-1/);
    expect(alternationBreak([add('m-1'), remove('m-1'), add('m-1')])).toMatch(/reused/);
  });

  it('alternate MemberAdded / MemberRemoved for any sequence of commands', () => {
    const breaks = runs
      .map(({ seed, events }) => ({ seed, problem: alternationBreak(events) }))
      .filter(({ problem }) => problem !== null);

    expect(breaks).toEqual([]);
  });

  it('meet only the refusals a command may legitimately meet, one event at most each', () => {
    const unexpected = runs.flatMap(({ seed, unexpected }) =>
      unexpected.map((u) => `seed ${seed} ${u}`),
    );

    expect(unexpected).toEqual([]);
  });

  it('exercise every way a membership ends, so the alternation check is not vacuous', () => {
    const reasons = new Map<RemovalReason, number>();
    for (const { events } of runs) {
      for (const event of events) {
        if (event.type === 'MemberRemoved') {
          reasons.set(event.data.reason, (reasons.get(event.data.reason) ?? 0) + 1);
        }
      }
    }

    expect(runs.filter(({ events }) => events.length >= 4).length).toBeGreaterThan(SEQUENCES / 2);
    expect(reasons.get('manual')).toBeGreaterThan(50);
    expect(reasons.get('expired')).toBeGreaterThan(50);
    expect(reasons.get('group_deleted')).toBeGreaterThan(10);
  });
});
