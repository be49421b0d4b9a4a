import { consumerCheck, describeTargets, liveness } from './platform';

const consuming = { running: true, crashed: null, restarting: false };
const restarting = {
  running: true,
  crashed: 'The coordinator is not aware of this member',
  restarting: true,
};
const dead = { running: true, crashed: 'broker gone', restarting: false };

describe('consumer health', () => {
  it('reports a consumer down while it is restarted after a crash, and why', () => {
    expect(consumerCheck(consuming)).toEqual({ status: 'up' });
    expect(consumerCheck(restarting)).toEqual({
      status: 'down',
      error: 'restarting after a crash: The coordinator is not aware of this member',
    });
    expect(consumerCheck(dead)).toEqual({ status: 'down', error: 'crashed: broker gone' });
    expect(consumerCheck(null)).toEqual({ status: 'down', error: 'not running' });
  });

  it('stays live while a crashed consumer is restarted in-process, not when nothing restarts it', () => {
    expect(liveness([consuming, undefined])).toEqual({ httpStatus: 200, body: { status: 'ok' } });
    expect(liveness([consuming, restarting])).toEqual({
      httpStatus: 200,
      body: { status: 'restarting', error: restarting.crashed },
    });
    expect(liveness([restarting, dead])).toEqual({
      httpStatus: 503,
      body: { status: 'error', error: 'broker gone' },
    });
  });
});

describe('describeTargets', () => {
  const settings = {
    MONGODB_URL: 'mongodb://ops:s3cret@db-1:27017,db-2:27017/?replicaSet=rs0',
    MONGODB_DATABASE: 'profile_groups',
    KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
    KAFKA_CLIENT_ID: 'pg',
    KAFKA_TOPIC_PREFIX: 'prod.',
    KAFKA_TOPIC_PARTITIONS: 6,
  };

  it('names every host, the database and the topics, and never the password', () => {
    const line = describeTargets(settings);

    expect(line).toBe(
      'MongoDB mongodb://db-1:27017,db-2:27017 database profile_groups, Kafka k1:9092,k2:9092 topics prod.*',
    );
    expect(line).not.toContain('s3cret');
    expect(describeTargets(settings, 'replay.memberships')).toMatch(/topics replay\.memberships$/);
  });
});
