import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  EVENT_CATALOGUE,
  type EventData,
  type EventEnvelope,
  type KafkaRecord,
  membershipStream,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import {
  createTestTopics,
  testKafka,
  testServers,
  uniqueName,
  waitFor,
} from '@profile-groups/testing';
import { type Kafka } from 'kafkajs';

import { MembershipConsumer } from './membership-consumer';
import { currentMembers, type MembershipRow } from './membership-table';
import { PublishedSchemas } from './published-schemas';
import { loadTable } from './table-file';

const schemas = PublishedSchemas.load();
const AT = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-01T11:00:00.000Z';

type Added = EventData<'MemberAdded'>;
type Removed = EventData<'MemberRemoved'>;

function envelope(
  type: 'MemberAdded' | 'MemberRemoved',
  version: number,
  data: Added | Removed,
): EventEnvelope {
  return {
    id: `${type}-${data.group_definition_id}-${data.profile_id}-${version}`,
    type,
    schema_version: EVENT_CATALOGUE[type].schemaVersion,
    stream: membershipStream(data.group_definition_id, data.profile_id),
    stream_version: version,
    time: type === 'MemberAdded' ? AT : LATER,
    correlation_id: 'test',
    causation_id: null,
    actor: null,
    data,
  };
}

function added(group: number, profile: string, version: number, extra: Partial<Added> = {}) {
  return envelope('MemberAdded', version, {
    group_definition_id: group,
    profile_id: profile,
    membership_id: `m-${group}-${profile}-${version}`,
    added_at: AT,
    expires_at: null,
    added_by_profile_id: null,
    source_type: null,
    source_id: null,
    meta: null,
    ...extra,
  });
}

function removed(
  group: number,
  profile: string,
  version: number,
  reason: Removed['reason'],
  extra: Partial<Removed> = {},
) {
  return envelope('MemberRemoved', version, {
    group_definition_id: group,
    profile_id: profile,
    membership_id: `m-${group}-${profile}-${version - 1}`,
    removed_at: LATER,
    reason,
    removed_reason: null,
    removed_by_profile_id: null,
    ...extra,
  });
}

const asRecord = (event: EventEnvelope) => toKafkaRecord(event, '/profile-groups');

/** What the service puts on the memberships topic, plus what a consumer must survive. */
function sequence(): KafkaRecord[] {
  const deeAdded = asRecord(added(8, 'p-dee', 1, { source_type: 'rule' }));
  const anaInEight = asRecord(added(8, 'p-ana', 1));
  const badReason = asRecord(removed(9, 'p-zed', 2, 'expired'));
  badReason.value = JSON.stringify({ ...JSON.parse(badReason.value), reason: 'bored' });

  return [
    asRecord(added(7, 'p-ana', 1, { expires_at: '2026-12-01T10:30:00.000Z' })),
    asRecord(removed(7, 'p-ana', 2, 'expired')),
    asRecord(added(7, 'p-ana', 3)),
    asRecord(added(7, 'p-ben', 1)),
    asRecord(
      removed(7, 'p-ben', 2, 'manual', {
        removed_reason: 'opted out',
        removed_by_profile_id: 'staff-1',
      }),
    ),
    asRecord(added(7, 'p-cai', 1, { expires_at: '2026-12-01T12:30:00.000Z' })),
    // A relay that died between publishing and recording it publishes again: same id.
    anaInEight,
    anaInEight,
    deeAdded,
    asRecord(removed(8, 'p-dee', 2, 'rule')),
    // An earlier event of the pair delivered again after a later one.
    deeAdded,
    asRecord(added(9, 'p-eve', 1)),
    asRecord(removed(9, 'p-eve', 2, 'group_deleted')),
    asRecord(added(9, 'p-fay', 1)),
    asRecord(removed(9, 'p-fay', 2, 'profile_deleted')),
    asRecord(added(10, 'p-gus', 1, { source_type: 'household', source_id: 'p-ana' })),
    asRecord(removed(10, 'p-gus', 2, 'connection')),
    // Not a valid MemberRemoved: its reason is outside the published enum.
    badReason,
    // A type this consumer does not keep (a later version of the service may add some).
    asRecord({ ...added(11, 'p-hal', 1), type: 'MemberSuspended' }),
  ];
}

function row(
  group: number,
  profile: string,
  version: number,
  fields: Partial<MembershipRow>,
): [string, MembershipRow] {
  const lastType = fields.is_member === false ? 'MemberRemoved' : 'MemberAdded';

  return [
    `${group}:${profile}`,
    {
      group_definition_id: group,
      profile_id: profile,
      is_member: true,
      membership_id: `m-${group}-${profile}-${fields.is_member === false ? version - 1 : version}`,
      added_at: AT,
      expires_at: null,
      removed_at: null,
      reason: null,
      removed_reason: null,
      source_type: null,
      stream_version: version,
      last_event_id: `${lastType}-${group}-${profile}-${version}`,
      ...fields,
    },
  ];
}

const ended = (reason: string) => ({ is_member: false, removed_at: LATER, reason });

const EXPECTED_ROWS = Object.fromEntries([
  row(7, 'p-ana', 3, {}),
  row(7, 'p-ben', 2, { ...ended('manual'), removed_reason: 'opted out' }),
  row(7, 'p-cai', 1, { expires_at: '2026-12-01T12:30:00.000Z' }),
  row(8, 'p-ana', 1, {}),
  row(8, 'p-dee', 2, { ...ended('rule'), source_type: 'rule' }),
  row(9, 'p-eve', 2, ended('group_deleted')),
  row(9, 'p-fay', 2, ended('profile_deleted')),
  row(10, 'p-gus', 2, { ...ended('connection'), source_type: 'household' }),
]);

describe('the membership consumer example on a real broker', () => {
  let kafka: Kafka;
  let topic: string;
  let dir: string;
  const records = sequence();

  beforeAll(async () => {
    kafka = testKafka();
    topic = topicName(await createTestTopics(kafka), 'memberships');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'membership-consumer-'));
    await publish(kafka, topic, records);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function consumer(groupId: string, tableFile: string) {
    return new MembershipConsumer({
      brokers: testServers().kafkaBrokers,
      topic,
      groupId,
      tableFile: path.join(dir, tableFile),
      schemas,
    });
  }

  async function runUntil(c: MembershipConsumer, received: number) {
    await c.start();
    try {
      // Received, then saved and committed: stopping mid-batch would leave its offsets behind.
      await waitFor(() => c.stats.received >= received && !c.busy, {
        what: `${received} records, saved and committed`,
      });
    } finally {
      await c.stop();
    }
  }

  const groupId = uniqueName('memberships');

  it('builds the table: alternation, reasons, expiry; drops duplicates and invalid records', async () => {
    const first = consumer(groupId, 'table.json');
    await runUntil(first, records.length);

    expect(first.stats).toEqual({
      received: records.length,
      applied: 15,
      duplicates: 2,
      rejected: 1,
      ignored: 1,
      anomalies: 0,
    });
    const saved = await loadTable(path.join(dir, 'table.json'));
    expect(saved.rows).toEqual(EXPECTED_ROWS);
    // Saved first, then committed: the group's offsets are at the end of every partition.
    expect(await committedOffsets(kafka, groupId, topic)).toEqual(await endOffsets(kafka, topic));
    expect(currentMembers(saved, 7, new Date('2026-12-01T13:00:00.000Z'))).toEqual(['p-ana']);
    expect(currentMembers(saved, 7, new Date('2026-12-01T12:00:00.000Z'))).toEqual([
      'p-ana',
      'p-cai',
    ]);
  });

  it('resumes its group after the committed offsets: only a new event arrives', async () => {
    await publish(kafka, topic, [asRecord(added(7, 'p-ben', 3))]);
    const again = consumer(groupId, 'table.json');
    await runUntil(again, 1);

    expect(again.stats).toMatchObject({ received: 1, applied: 1, duplicates: 0 });
    const saved = await loadTable(path.join(dir, 'table.json'));
    expect(saved.rows['7:p-ben']).toMatchObject({ is_member: true, stream_version: 3 });
  });

  it('replays from the beginning with a new group id: every redelivery is dropped', async () => {
    const file = path.join(dir, 'table.json');
    const before = fs.readFileSync(file, 'utf8');
    const replay = consumer(uniqueName('memberships-replay'), 'table.json');
    await runUntil(replay, records.length + 1);

    expect(replay.stats).toMatchObject({ applied: 0, duplicates: records.length - 2 + 1 });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('rebuilds the same table from nothing with a new group id and a new file', async () => {
    const fresh = consumer(uniqueName('memberships-fresh'), 'fresh.json');
    await runUntil(fresh, records.length + 1);

    expect(fs.readFileSync(path.join(dir, 'fresh.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(dir, 'table.json'), 'utf8'),
    );
  });
});

async function publish(kafka: Kafka, topic: string, records: KafkaRecord[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: records });
  await producer.disconnect();
}

async function committedOffsets(kafka: Kafka, groupId: string, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });

    return Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

async function endOffsets(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);

    return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}
