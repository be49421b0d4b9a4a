import { RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  let now = 0;
  const backoff = () =>
    new RestartBackoff({
      baseMs: 100,
      capMs: 1000,
      healthyAfterMs: 60_000,
      clock: { now: () => now, random: () => 1 },
    });
  const position = { topic: 'profiles', partition: 2, offset: '41' };

  beforeEach(() => {
    now = 0;
  });

  it('keeps doubling while the consumer rejoins and crashes on the same batch', () => {
    const subject = backoff();
    const delays: number[] = [];
    for (let crash = 0; crash < 6; crash++) {
      subject.joined();
      now += 500;
      subject.failedAt(position);
      delays.push(subject.next().delayMs);
    }

    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(subject.restarts).toBe(6);
  });

  it('starts over once a commit passes the failed offset, not before', () => {
    const subject = backoff();
    subject.failedAt(position);
    subject.next();
    subject.joined();
    subject.committed('profiles', 2, '41');
    subject.committed('profiles', 1, '900');
    subject.committed('connections', 2, '900');
    subject.failedAt(position);
    expect(subject.next()).toEqual({ restart: 2, delayMs: 200 });

    subject.joined();
    subject.committed('profiles', 2, '42');
    expect(subject.restarts).toBe(0);
    subject.failedAt({ ...position, offset: '42' });
    expect(subject.next()).toEqual({ restart: 1, delayMs: 100 });
  });

  it('starts over after a healthy run, and counts a crash before any join', () => {
    const subject = backoff();
    subject.next();
    subject.next();
    subject.joined();
    now += 59_999;
    expect(subject.next().restart).toBe(3);

    subject.joined();
    now += 60_000;
    expect(subject.next()).toEqual({ restart: 1, delayMs: 100 });
  });

  it('takes any commit as progress after a crash no batch is known for', () => {
    const subject = backoff();
    subject.next();
    subject.next();
    subject.committed('profiles', 0, '1');

    expect(subject.restarts).toBe(0);
  });
});
