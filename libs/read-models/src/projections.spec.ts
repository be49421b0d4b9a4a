import {
  type EnvelopeOf,
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type MemberAdded,
  type MemberRemoved,
  membershipStream,
} from '@profile-groups/contracts';

import { membershipFromAdded, projectGroupDefinition, removalChanges } from './projections';
import { inForceAt } from './read-model-queries';
import { type GroupDefinitionView, type MembershipView } from './views';

const ATTRIBUTES: GroupDefinitionAttributes = {
  name: 'Household members',
  handle: 'household',
  type: 'favourite',
  source_type: 'household',
  source_id: null,
  query: null,
  query_type: null,
  arguments: null,
  period: null,
  period_type: null,
  absolute_expiry: null,
  refresh_period: 1,
  refresh_period_type: 'days',
  refresh_absolute_expiry: null,
  short_description: 'Household',
  description: null,
  owner_profile_id: 'profile-owner',
  meta: { icon: 'house' },
};

type DefinitionEnvelope = EnvelopeOf<GroupDefinitionEvent>;

/** Wraps an event as the event store would, at the given stream version. */
function at<E extends GroupDefinitionEvent>(streamVersion: number, event: E): DefinitionEnvelope {
  return {
    id: `event-${streamVersion}`,
    type: event.type,
    schema_version: 1,
    stream: groupDefinitionStream(5),
    stream_version: streamVersion,
    time: '2026-02-01T00:00:00.000Z',
    correlation_id: 'corr-1',
    causation_id: null,
    actor: null,
    data: event.data,
  } as DefinitionEnvelope;
}

const created = at(1, {
  type: 'GroupDefinitionCreated',
  data: {
    group_definition_id: 5,
    definition: ATTRIBUTES,
    flags: { is_published: true, is_active: false, is_archived: false },
    created_at: '2026-02-01T09:00:00.000Z',
  },
});

function lifecycle(
  streamVersion: number,
  type: Exclude<
    GroupDefinitionEvent['type'],
    | 'GroupDefinitionCreated'
    | 'FavouriteGroupActivated'
    | 'GroupDefinitionUpdated'
    | 'GroupDefinitionDeleted'
    | 'GroupRuleAdded'
    | 'RuleChanged'
    | 'GroupRuleRemoved'
  >,
): DefinitionEnvelope {
  return at(streamVersion, {
    type,
    data: { group_definition_id: 5, updated_at: `2026-02-0${streamVersion}T12:00:00.000Z` },
  });
}

/** Folds events onto a view the way the writer does: a null result leaves the view as it was. */
function project(...events: DefinitionEnvelope[]): GroupDefinitionView | null {
  return events.reduce<GroupDefinitionView | null>(
    (view, event) => projectGroupDefinition(view, event) ?? view,
    null,
  );
}

describe('projectGroupDefinition', () => {
  it('given GroupDefinitionCreated, builds the view with flags, zero members and not deleted', () => {
    expect(projectGroupDefinition(null, created)).toEqual({
      _id: 5,
      id: 5,
      ...ATTRIBUTES,
      is_published: true,
      is_active: false,
      is_archived: false,
      version: 1,
      created_at: '2026-02-01T09:00:00.000Z',
      updated_at: '2026-02-01T09:00:00.000Z',
      deleted_at: null,
      is_deleted: false,
      is_owned: true,
      current_member_count: 0,
      rules: [],
      rule_definition_ids: [],
    });
  });

  it('builds a favourite instance from FavouriteGroupActivated, owned by its profile', () => {
    const activated = at(1, {
      type: 'FavouriteGroupActivated',
      data: {
        group_definition_id: 5,
        favourite_definition_id: 2,
        owner_profile_id: 'profile-owner',
        definition: { ...ATTRIBUTES, handle: 'household@profile-owner', source_id: '2' },
        flags: { is_published: false, is_active: true, is_archived: false },
        activated_at: '2026-02-03T09:00:00.000Z',
      },
    });

    expect(project(activated)).toMatchObject({
      id: 5,
      handle: 'household@profile-owner',
      owner_profile_id: 'profile-owner',
      source_id: '2',
      is_owned: true,
      created_at: '2026-02-03T09:00:00.000Z',
      version: 1,
    });
  });

  it('keeps is_owned the twin of owner_profile_id through later edits', () => {
    const edit = (version: number, owner: string | null) =>
      at(version, {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 5,
          changes: { owner_profile_id: owner },
          updated_at: '2026-02-02T10:00:00.000Z',
        },
      });

    expect(project(created, edit(2, null))?.is_owned).toBe(false);
    expect(project(created, edit(2, null), edit(3, 'someone'))?.is_owned).toBe(true);
  });

  it('merges GroupDefinitionUpdated changes and keeps the other attributes', () => {
    const view = project(
      created,
      at(2, {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 5,
          changes: { name: 'Whole household', meta: null, refresh_period: 2 },
          updated_at: '2026-02-02T10:00:00.000Z',
        },
      }),
    );

    expect(view).toMatchObject({
      ...ATTRIBUTES,
      name: 'Whole household',
      meta: null,
      refresh_period: 2,
      version: 2,
      created_at: '2026-02-01T09:00:00.000Z',
      updated_at: '2026-02-02T10:00:00.000Z',
    });
  });

  it.each([
    ['GroupDefinitionPublished', { is_published: true }],
    ['GroupDefinitionUnpublished', { is_published: false }],
    ['GroupDefinitionActivated', { is_active: true }],
    ['GroupDefinitionDeactivated', { is_active: false }],
    ['GroupDefinitionArchived', { is_archived: true }],
    ['GroupDefinitionUnarchived', { is_archived: false }],
  ] as const)('applies %s to its flag only', (type, flag) => {
    const before = project(created)!;
    const after = projectGroupDefinition(before, lifecycle(2, type));

    expect(after).toEqual({
      ...before,
      ...flag,
      version: 2,
      updated_at: '2026-02-02T12:00:00.000Z',
    });
  });

  it('given GroupDefinitionDeleted, records when and keeps the definition readable', () => {
    const view = project(
      created,
      lifecycle(2, 'GroupDefinitionActivated'),
      at(3, {
        type: 'GroupDefinitionDeleted',
        data: {
          group_definition_id: 5,
          handle: 'household',
          deleted_at: '2026-02-03T08:00:00.000Z',
        },
      }),
    );

    expect(view).toMatchObject({
      ...ATTRIBUTES,
      is_active: true,
      version: 3,
      deleted_at: '2026-02-03T08:00:00.000Z',
      updated_at: '2026-02-03T08:00:00.000Z',
      is_deleted: true,
    });
  });

  it('keeps a member count the view already has', () => {
    const counted = { ...project(created)!, current_member_count: 17 };

    expect(projectGroupDefinition(counted, lifecycle(2, 'GroupDefinitionArchived'))).toMatchObject({
      current_member_count: 17,
    });
  });

  it.each([1, 2])(
    'returns null for an event at stream version %s, which a view at version 2 reflects',
    (streamVersion) => {
      const view = project(created, lifecycle(2, 'GroupDefinitionActivated'))!;

      expect(
        projectGroupDefinition(view, lifecycle(streamVersion, 'GroupDefinitionDeactivated')),
      ).toBeNull();
      expect(
        projectGroupDefinition(view, { ...created, stream_version: streamVersion }),
      ).toBeNull();
    },
  );

  it('changes nothing when the whole history is replayed onto the final view', () => {
    const history = [
      created,
      lifecycle(2, 'GroupDefinitionActivated'),
      lifecycle(3, 'GroupDefinitionArchived'),
      at(4, {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 5,
          changes: { description: 'All people at one address.' },
          updated_at: '2026-02-04T00:00:00.000Z',
        },
      }),
    ];
    const final = project(...history)!;

    expect(history.map((event) => projectGroupDefinition(final, event))).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(project(...history, ...history)).toEqual(final);
  });

  it.each([
    [
      'an update',
      at(2, {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 5,
          changes: { name: 'x' },
          updated_at: '2026-02-02T00:00:00.000Z',
        },
      }),
    ],
    ['a lifecycle change', lifecycle(2, 'GroupDefinitionPublished')],
    [
      'a deletion',
      at(2, {
        type: 'GroupDefinitionDeleted',
        data: {
          group_definition_id: 5,
          handle: 'household',
          deleted_at: '2026-02-02T00:00:00.000Z',
        },
      }),
    ],
  ])('returns null for %s that arrives before the definition exists', (_name, event) => {
    expect(projectGroupDefinition(null, event)).toBeNull();
  });
});

const added: EnvelopeOf<MemberAdded> = {
  id: 'event-m1',
  type: 'MemberAdded',
  schema_version: 1,
  stream: membershipStream(5, 'profile-9'),
  stream_version: 1,
  time: '2026-02-05T10:00:00.000Z',
  correlation_id: 'corr-2',
  causation_id: null,
  actor: 'profile-owner',
  data: {
    group_definition_id: 5,
    profile_id: 'profile-9',
    membership_id: 'membership-a',
    added_at: '2026-02-05T10:00:00.000Z',
    expires_at: '2026-03-05T10:00:00.000Z',
    added_by_profile_id: 'profile-owner',
    source_type: 'household',
    source_id: 'connection-3',
    meta: { role: 'partner' },
  },
};

const removedEvent: EnvelopeOf<MemberRemoved> = {
  ...added,
  id: 'event-m2',
  type: 'MemberRemoved',
  stream_version: 2,
  data: {
    group_definition_id: 5,
    profile_id: 'profile-9',
    membership_id: 'membership-a',
    removed_at: '2026-02-20T18:30:00.000Z',
    reason: 'manual',
    removed_reason: 'Moved out',
    removed_by_profile_id: 'profile-owner',
  },
};

describe('membershipFromAdded', () => {
  it('builds a current membership keyed by its membership id', () => {
    expect(membershipFromAdded(added)).toEqual({
      _id: 'membership-a',
      id: 'membership-a',
      group_definition_id: 5,
      profile_id: 'profile-9',
      added_at: '2026-02-05T10:00:00.000Z',
      expires_at: '2026-03-05T10:00:00.000Z',
      removed_at: null,
      removed_reason: null,
      removal_type: null,
      added_by_profile_id: 'profile-owner',
      removed_by_profile_id: null,
      source_type: 'household',
      source_id: 'connection-3',
      meta: { role: 'partner' },
      created_at: '2026-02-05T10:00:00.000Z',
      updated_at: '2026-02-05T10:00:00.000Z',
      is_current: true,
      stream_version: 1,
    });
  });
});

describe('removalChanges', () => {
  it('sets the removal fields, the reason as removal_type, and the stream version', () => {
    expect(removalChanges(removedEvent)).toEqual({
      removed_at: '2026-02-20T18:30:00.000Z',
      removed_reason: 'Moved out',
      removal_type: 'manual',
      removed_by_profile_id: 'profile-owner',
      updated_at: '2026-02-20T18:30:00.000Z',
      is_current: false,
      stream_version: 2,
    });
  });

  it('leaves what the add recorded untouched when applied to the membership', () => {
    const membership = { ...membershipFromAdded(added), ...removalChanges(removedEvent) };

    expect(membership).toMatchObject({
      _id: 'membership-a',
      added_at: '2026-02-05T10:00:00.000Z',
      added_by_profile_id: 'profile-owner',
      created_at: '2026-02-05T10:00:00.000Z',
      source_id: 'connection-3',
      is_current: false,
    });
  });

  it('records a system removal with null operator fields', () => {
    const expired: EnvelopeOf<MemberRemoved> = {
      ...removedEvent,
      data: {
        ...removedEvent.data,
        reason: 'expired',
        removed_reason: null,
        removed_by_profile_id: null,
      },
    };

    expect(removalChanges(expired)).toMatchObject({
      removal_type: 'expired',
      removed_reason: null,
      removed_by_profile_id: null,
    });
  });
});

describe('inForceAt', () => {
  const membership = {
    added_at: '2026-03-01T10:00:00.000Z',
    removed_at: null,
    expires_at: null,
  } as unknown as MembershipView;

  it('holds from added_at until it is removed or expires, not before and not after', () => {
    expect(inForceAt(membership, '2026-03-01T09:59:59.999Z')).toBe(false);
    expect(inForceAt(membership, '2026-03-01T10:00:00.000Z')).toBe(true);
    const removed = { ...membership, removed_at: '2026-03-02T10:00:00.000Z' };
    expect(inForceAt(removed, '2026-03-02T09:59:59.999Z')).toBe(true);
    expect(inForceAt(removed, '2026-03-02T10:00:00.000Z')).toBe(false);
    // Expired at expires_at, even if the removal event came later.
    const expiring = { ...removed, expires_at: '2026-03-01T12:00:00.000Z' };
    expect(inForceAt(expiring, '2026-03-01T11:59:59.999Z')).toBe(true);
    expect(inForceAt(expiring, '2026-03-01T12:00:00.000Z')).toBe(false);
  });
});
