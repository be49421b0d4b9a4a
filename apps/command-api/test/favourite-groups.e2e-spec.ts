import { randomUUID } from 'node:crypto';

import { CE, connectionStream, EVENT_CATALOGUE, topicName } from '@profile-groups/contracts';
import { KafkaEventPublisher } from '@profile-groups/messaging';
import { type CollectedMessage, collectTopics, testKafka, waitFor } from '@profile-groups/testing';

import { System } from './system';

const OWNER = 'stylist-9';
const TYPE = 'stylist-client';

/**
 * Issue 4's done-when on the real servers, the three apps as separate processes: a
 * favourite group gains a member when a connection is accepted and loses it when the
 * connection breaks, seen through the REST member list and the membership events on
 * Kafka, which name the group's owner.
 */
describe('favourite groups end to end', () => {
  const system = new System('e2e-favourite');
  const kafka = testKafka();
  let topics: Awaited<ReturnType<typeof collectTopics>>;

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
    topics = await collectTopics(kafka, [
      topicName(system.topicPrefix, 'memberships'),
      topicName(system.topicPrefix, 'connections'),
    ]);
  });

  afterAll(async () => {
    await topics?.stop();
    await system.stopAll();
  });

  async function members(group: number, owner = OWNER): Promise<Map<string, any>> {
    const listed = await system.api('GET', `/v3/profiles/${owner}/groups/${group}/profiles`);
    expect(listed.status).toBe(200);

    return new Map((listed.body.data as { profile_id: string }[]).map((m) => [m.profile_id, m]));
  }

  function membershipEvent(type: string, group: number, profile: string) {
    return topics.messages.find(
      (m: CollectedMessage) =>
        m.headers[CE.type] === type &&
        m.topic.endsWith('memberships') &&
        (JSON.parse(m.value!) as { group_definition_id: number; profile_id: string })
          .group_definition_id === group &&
        (JSON.parse(m.value!) as { profile_id: string }).profile_id === profile,
    );
  }

  async function connect(from: string, to: string, status: string): Promise<void> {
    const put = await system.api('PUT', `/v3/profiles/${from}/connections/${to}`, {
      type: TYPE,
      status,
    });
    expect(put.status).toBe(200);
  }

  it('gains a member when a connection is accepted and loses it when the connection breaks', async () => {
    const definition = await system.api('POST', '/v3/groups/definitions', {
      name: 'My clients',
      handle: 'stylist-clients',
      type: 'favourite',
      source_type: TYPE,
    });
    expect(definition.status).toBe(201);
    await connect(OWNER, 'client-early', 'accepted');

    const activated = await system.api('POST', `/v3/profiles/${OWNER}/groups`, {
      group_definition_id: 'stylist-clients',
    });
    expect(activated.status).toBe(201);
    const instance = activated.body.data;
    expect(instance).toMatchObject({
      type: 'favourite',
      owner_profile_id: OWNER,
      source_type: TYPE,
      source_id: String(definition.body.data.id),
      handle: `stylist-clients@${OWNER}`,
    });
    // Activation brings in the connection accepted before it.
    await waitFor(async () => (await members(instance.id)).has('client-early'), {
      what: 'the connection accepted before the activation',
    });

    await connect(OWNER, 'client-1', 'pending');
    await connect(OWNER, 'client-1', 'accepted');
    const joined = await waitFor(async () => (await members(instance.id)).get('client-1'), {
      what: 'client-1 in the REST member list',
    });
    expect(joined).toMatchObject({
      group_definition_id: instance.id,
      source_type: 'connection',
      source_id: TYPE,
      added_by_profile_id: null,
      removed_at: null,
    });
    const added = await waitFor(() => membershipEvent('MemberAdded', instance.id, 'client-1'), {
      what: 'MemberAdded of client-1 on Kafka',
    });
    expect(JSON.parse(added.value!)).toMatchObject({
      owner_profile_id: OWNER,
      source_type: 'connection',
      source_id: TYPE,
    });
    expect(added.key).toBe(`group-member-${instance.id}-client-1`);
    const published = topics.messages.find(
      (m) => m.topic.endsWith('connections') && m.headers[CE.type] === 'ConnectionUpserted',
    );
    expect(published?.key).toBe(connectionStream(OWNER));

    const memberOf = await system.api('GET', '/v3/profiles/client-1/groups?member=true');
    expect(memberOf.status).toBe(200);
    expect(memberOf.body.data.map((g: { id: number }) => g.id)).toEqual([instance.id]);

    await connect(OWNER, 'client-1', 'declined');
    await waitFor(async () => !(await members(instance.id)).has('client-1'), {
      what: 'client-1 out of the REST member list',
    });
    const removed = await waitFor(() => membershipEvent('MemberRemoved', instance.id, 'client-1'), {
      what: 'MemberRemoved of client-1 on Kafka',
    });
    expect(JSON.parse(removed.value!)).toMatchObject({
      reason: 'connection',
      owner_profile_id: OWNER,
      membership_id: joined.id,
    });
    const history = await system.api(
      'GET',
      `/v3/profiles/${OWNER}/groups/stylist-clients/profiles?include_removed=true`,
    );
    expect(history.body.data).toContainEqual(
      expect.objectContaining({ profile_id: 'client-1', removal_type: 'connection' }),
    );
    const left = await system.api('GET', '/v3/profiles/client-1/groups?member=true');
    expect(left.body.data).toEqual([]);
  });

  it('follows connections an upstream platform publishes straight to Kafka, and removals', async () => {
    await system.api('POST', '/v3/groups/definitions', {
      name: 'Household',
      handle: 'household',
      type: 'favourite',
      source_type: TYPE,
    });
    const owner = 'parent-1';
    const activated = await system.api('POST', `/v3/profiles/${owner}/groups`, {
      group_definition_id: 'household',
    });
    expect(activated.status).toBe(201);
    const group = activated.body.data.id as number;

    await publishUpstream(owner, 'child-1', 'accepted');
    await waitFor(async () => (await members(group, owner)).has('child-1'), {
      what: 'child-1, connected upstream, in the member list',
    });

    // The API never saw this connection; the worker's store knows it, so DELETE finds it.
    const deleted = await system.api('DELETE', `/v3/profiles/${owner}/connections/child-1`);
    expect(deleted.status).toBe(200);
    await waitFor(async () => !(await members(group, owner)).has('child-1'), {
      what: 'child-1 out after its connection was removed',
    });
    const again = await system.api('DELETE', `/v3/profiles/${owner}/connections/child-1`);
    expect(again).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  async function publishUpstream(owner: string, connected: string, status: string) {
    const publisher = new KafkaEventPublisher(kafka, system.topicPrefix, '/connection-platform');
    try {
      const at = new Date().toISOString();
      await publisher.publish([
        {
          id: randomUUID(),
          type: 'ConnectionUpserted',
          schema_version: EVENT_CATALOGUE.ConnectionUpserted.schemaVersion,
          stream: connectionStream(owner),
          stream_version: 1,
          time: at,
          correlation_id: randomUUID(),
          causation_id: null,
          actor: 'connection-platform',
          data: {
            profile_id: owner,
            connected_profile_id: connected,
            type: TYPE,
            status,
            upserted_at: at,
          },
        },
      ]);
    } finally {
      await publisher.disconnect();
    }
  }

  it('removes a connection the API removed and an upstream platform accepted again', async () => {
    await system.api('POST', '/v3/groups/definitions', {
      name: 'Regulars',
      handle: 'regulars',
      type: 'favourite',
      source_type: TYPE,
    });
    const owner = 'stylist-re';
    const group = (
      await system.api('POST', `/v3/profiles/${owner}/groups`, {
        group_definition_id: 'regulars',
      })
    ).body.data.id as number;
    await connect(owner, 'client-re', 'accepted');
    // The worker takes connections and activations from different topics: wait until it
    // has both, or the removal below may reach it before there is a member to remove.
    await waitFor(() => membershipEvent('MemberAdded', group, 'client-re'), {
      what: 'client-re in after the API accepted its connection',
    });
    expect((await system.api('DELETE', `/v3/profiles/${owner}/connections/client-re`)).status).toBe(
      200,
    );
    await waitFor(() => membershipEvent('MemberRemoved', group, 'client-re'), {
      what: 'client-re out after the API removed its connection',
    });

    await publishUpstream(owner, 'client-re', 'accepted');
    await waitFor(async () => (await members(group, owner)).has('client-re'), {
      what: 'client-re back after the upstream re-accept',
    });

    const deleted = await system.api('DELETE', `/v3/profiles/${owner}/connections/client-re`);
    expect(deleted.status).toBe(200);
    await waitFor(async () => !(await members(group, owner)).has('client-re'), {
      what: 'client-re out after the second removal',
    });
  });

  it('ends the instances of a deleted definition, and activates one made with its handle', async () => {
    const first = await system.api('POST', '/v3/groups/definitions', {
      name: 'Friends',
      handle: 'friends',
      type: 'favourite',
      source_type: TYPE,
    });
    const owner = 'friend-owner';
    const old = (
      await system.api('POST', `/v3/profiles/${owner}/groups`, {
        group_definition_id: 'friends',
      })
    ).body.data.id as number;
    await connect(owner, 'friend-1', 'accepted');
    await waitFor(async () => (await members(old, owner)).has('friend-1'), {
      what: 'friend-1 in the old instance',
    });

    expect(
      (await system.api('DELETE', `/v3/groups/definitions/${first.body.data.id}`)).status,
    ).toBe(200);
    const removed = await waitFor(() => membershipEvent('MemberRemoved', old, 'friend-1'), {
      what: 'the old instance`s membership ended',
    });
    expect(JSON.parse(removed.value!)).toMatchObject({ reason: 'group_deleted' });
    await waitFor(
      async () => (await system.api('GET', `/v3/groups/definitions/${old}`)).status === 404,
      { what: 'the old instance deleted' },
    );

    const again = await system.api('POST', '/v3/groups/definitions', {
      name: 'Friends',
      handle: 'friends',
      type: 'favourite',
      source_type: TYPE,
    });
    expect(again.status).toBe(201);
    const fresh = await system.api('POST', `/v3/profiles/${owner}/groups`, {
      group_definition_id: 'friends',
    });
    expect(fresh).toMatchObject({
      status: 201,
      body: { data: { handle: `friends@${owner}`, source_id: String(again.body.data.id) } },
    });
    await waitFor(async () => (await members(fresh.body.data.id, owner)).has('friend-1'), {
      what: 'friend-1 in the new instance',
    });
  });

  it('answers bad input with a 4xx and a machine-readable body, never a 500', async () => {
    const self = await system.api('PUT', `/v3/profiles/${OWNER}/connections/${OWNER}`, {
      type: TYPE,
      status: 'accepted',
    });
    const badType = await system.api('PUT', `/v3/profiles/${OWNER}/connections/c-9`, {
      type: 'Not A Type!',
      status: 'maybe',
    });
    const malformed = await system.api('PUT', `/v3/profiles/${OWNER}/connections/c-9`, '{"type":');
    const notFavourite = await system.api('POST', `/v3/profiles/${OWNER}/groups`, {
      group_definition_id: 999_999,
    });
    const notOwned = await system.api('GET', `/v3/profiles/someone-else/groups/stylist-clients`);
    const notMember = await system.api(
      'POST',
      `/v3/profiles/${OWNER}/groups/stylist-clients/profiles/nobody/remove`,
      {},
    );

    expect(self).toMatchObject({
      status: 422,
      body: { code: 'validation_failed', errors: { connected: [expect.any(String)] } },
    });
    expect(Object.keys(badType.body.errors).sort()).toEqual(['status', 'type']);
    expect(malformed).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    expect(notFavourite).toMatchObject({
      status: 422,
      body: { errors: { group_definition_id: [expect.any(String)] } },
    });
    expect(notOwned).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(notMember).toMatchObject({ status: 404, body: { code: 'not_a_member' } });
  });
});
