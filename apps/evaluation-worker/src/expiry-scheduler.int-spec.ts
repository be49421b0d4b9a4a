import {
  type EnvelopeOf,
  groupDefinitionStream,
  type MemberRemoved,
  membershipStream,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import { connectTestDb, groupAttributes, silentLogger, waitFor } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { ExpiryScheduler } from './expiry-scheduler';
import { MembershipLifecycle } from './membership-lifecycle';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };

describe('ExpiryScheduler on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('expiry'));
    store = new EventStore(db);
    await store.append(
      groupDefinitionStream(1),
      0,
      [
        {
          type: 'GroupDefinitionCreated',
          data: {
            group_definition_id: 1,
            definition: groupAttributes({ name: 'Timed', handle: 'timed' }),
            flags: { is_published: false, is_active: true, is_archived: false },
            created_at: new Date().toISOString(),
          },
        },
      ],
      metadata,
    );
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function addMember(profile: string, expiresAt: Date): Promise<string> {
    const [event] = await store.append(
      membershipStream(1, profile),
      0,
      [
        {
          type: 'MemberAdded',
          data: {
            group_definition_id: 1,
            profile_id: profile,
            membership_id: `m-${profile}`,
            added_at: new Date().toISOString(),
            expires_at: expiresAt.toISOString(),
            added_by_profile_id: null,
            source_type: null,
            source_id: null,
            meta: null,
          },
        },
      ],
      metadata,
    );

    return event!.id;
  }

  async function removal(profile: string): Promise<EnvelopeOf<MemberRemoved> | undefined> {
    const read = await store.readStream(membershipStream(1, profile));

    return read.events.find((e) => e.type === 'MemberRemoved') as
      | EnvelopeOf<MemberRemoved>
      | undefined;
  }

  it('removes a member at its expiry time, not before, and survives a restart', async () => {
    const soon = new Date(Date.now() + 400);
    const later = new Date(Date.now() + 1500);
    const lifecycle = new MembershipLifecycle(store);
    const first = new ExpiryScheduler(db, lifecycle, silentLogger, 60_000);
    await first.start();
    await first.track({
      _id: 'm-soon',
      group_definition_id: 1,
      profile_id: 'soon',
      expires_at: soon,
      cause_event_id: await addMember('soon', soon),
    });
    await first.track({
      _id: 'm-later',
      group_definition_id: 1,
      profile_id: 'later',
      expires_at: later,
      cause_event_id: await addMember('later', later),
    });
    expect(await removal('soon')).toBeUndefined();

    const removedSoon = await waitFor(() => removal('soon'), { what: 'soon expired' });
    expect(removedSoon.data.reason).toBe('expired');
    expect(Date.parse(removedSoon.data.removed_at)).toBeGreaterThanOrEqual(soon.getTime());
    expect(removedSoon.causation_id).not.toBeNull();

    // The worker dies; a new one picks the pending expiry up from MongoDB.
    await first.stop();
    expect(await removal('later')).toBeUndefined();
    const second = new ExpiryScheduler(db, lifecycle, silentLogger, 60_000);
    await second.start();
    expect(second.pending).toBe(1);
    const removedLater = await waitFor(() => removal('later'), { what: 'later expired' });
    expect(Date.parse(removedLater.data.removed_at)).toBeGreaterThanOrEqual(later.getTime());
    await waitFor(() => second.pending === 0, { what: 'schedule empty' });
    await second.stop();
  });

  it('expires many memberships due at the same moment together, each caused by its add', async () => {
    const at = new Date(Date.now() + 500);
    const scheduler = new ExpiryScheduler(db, new MembershipLifecycle(store), silentLogger, 60_000);
    await scheduler.start();
    const causes = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const profile = `crowd-${i}`;
      const cause = await addMember(profile, at);
      causes.set(profile, cause);
      await scheduler.track({
        _id: `m-${profile}`,
        group_definition_id: 1,
        profile_id: profile,
        expires_at: at,
        cause_event_id: cause,
      });
    }
    await waitFor(() => scheduler.pending === 0, { what: 'all 60 expired' });
    await scheduler.stop();
    for (const [profile, cause] of causes) {
      const removed = await removal(profile);
      expect(removed?.data.reason).toBe('expired');
      expect(removed?.causation_id).toBe(cause);
      expect(Date.parse(removed!.data.removed_at)).toBeGreaterThanOrEqual(at.getTime());
    }
  });

  it('does nothing for a membership that was removed before its timer fired', async () => {
    const at = new Date(Date.now() + 300);
    const cause = await addMember('readded', at);
    await store.append(
      membershipStream(1, 'readded'),
      1,
      [
        {
          type: 'MemberRemoved',
          data: {
            group_definition_id: 1,
            profile_id: 'readded',
            membership_id: 'm-readded',
            removed_at: new Date().toISOString(),
            reason: 'manual',
            removed_reason: null,
            removed_by_profile_id: null,
          },
        },
      ],
      metadata,
    );
    const scheduler = new ExpiryScheduler(db, new MembershipLifecycle(store), silentLogger, 60_000);
    await scheduler.start();
    await scheduler.track({
      _id: 'm-readded',
      group_definition_id: 1,
      profile_id: 'readded',
      expires_at: at,
      cause_event_id: cause,
    });
    await waitFor(() => scheduler.pending === 0, { what: 'timer fired' });
    await scheduler.stop();
    expect((await store.readStream(membershipStream(1, 'readded'))).version).toBe(2);
  });
});
