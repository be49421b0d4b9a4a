import { type GroupDefinitionAttributes } from '@profile-groups/contracts';
import { evolveGroupDefinition, type GroupDefinitionState } from '@profile-groups/domain';

import { ProfileChangeLog } from './profile-change-log';
import { nextRefreshAt } from './refresh-schedule';
import { RuleFailureTally } from './rule-failure-tally';
import { TimeRechecks } from './time-rechecks';
import { VersionDigest } from './version-digest';

const T0 = Date.parse('2026-07-01T00:00:00.000Z');
const MINUTE = 60_000;

describe('TimeRechecks', () => {
  it('hands out what is due by now, grouped by group, and keeps the rest', () => {
    const rechecks = new TimeRechecks();
    rechecks.schedule(41, 'p-1', T0 + MINUTE);
    rechecks.schedule(41, 'p-2', T0 + 2 * MINUTE);
    rechecks.schedule(42, 'p-1', T0);
    rechecks.schedule(41, 'p-3', T0 + 10 * MINUTE);

    expect(rechecks.takeDue(T0 + 2 * MINUTE)).toEqual(
      new Map([
        [41, ['p-1', 'p-2']],
        [42, ['p-1']],
      ]),
    );
    expect(rechecks.size).toBe(1);
    expect(rechecks.earliest()).toBe(T0 + 10 * MINUTE);
  });

  it('takes a recheck only once', () => {
    const rechecks = new TimeRechecks();
    rechecks.schedule(41, 'p-1', T0);

    expect(rechecks.takeDue(T0).get(41)).toEqual(['p-1']);
    expect(rechecks.takeDue(T0 + MINUTE)).toEqual(new Map());
  });

  it('keeps one recheck per pair: a new instant replaces the old one', () => {
    const rechecks = new TimeRechecks();
    rechecks.schedule(41, 'p-1', T0);
    rechecks.schedule(41, 'p-1', T0 + 5 * MINUTE);

    expect(rechecks.size).toBe(1);
    expect(rechecks.takeDue(T0 + MINUTE)).toEqual(new Map());
    expect(rechecks.earliest()).toBe(T0 + 5 * MINUTE);
  });

  it('cancels a recheck scheduled with null, leaving other pairs alone', () => {
    const rechecks = new TimeRechecks();
    rechecks.schedule(41, 'p-1', T0);
    rechecks.schedule(42, 'p-1', T0 + MINUTE);
    rechecks.schedule(41, 'p-1', null);

    expect(rechecks.size).toBe(1);
    expect(rechecks.takeDue(T0 + MINUTE)).toEqual(new Map([[42, ['p-1']]]));
  });

  it('tells a group id and a profile id apart however they concatenate', () => {
    const rechecks = new TimeRechecks();
    rechecks.schedule(1, '23-x', T0);
    rechecks.schedule(12, '3-x', T0 + MINUTE);

    expect(rechecks.size).toBe(2);
  });

  it('has no earliest instant when nothing is scheduled', () => {
    const rechecks = new TimeRechecks();

    expect(rechecks.earliest()).toBeNull();
    expect(rechecks.size).toBe(0);
  });
});

describe('ProfileChangeLog', () => {
  it('says whether a profile changed after the version a refresh read', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 7, T0);

    expect(log.changedSince('p-1', 6, T0 + MINUTE)).toBe(true);
    expect(log.changedSince('p-1', 7, T0 - MINUTE)).toBe(false);
    expect(log.changedSince('p-1', 8, T0 - MINUTE)).toBe(false);
  });

  it('without a version read, says whether the profile changed at or after the time given', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 7, T0);

    expect(log.changedSince('p-1', null, T0 - MINUTE)).toBe(true);
    expect(log.changedSince('p-1', null, T0)).toBe(true);
    expect(log.changedSince('p-1', null, T0 + 1)).toBe(false);
  });

  it('knows nothing of a profile it was never told about', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 7, T0);

    expect(log.changedSince('p-2', null, 0)).toBe(false);
    expect(log.changedSince('p-2', 0, 0)).toBe(false);
  });

  it('keeps only the latest change of a profile', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 7, T0);
    log.note('p-1', 9, T0 + MINUTE);

    expect(log.changedSince('p-1', 8, T0 + 2 * MINUTE)).toBe(true);
    expect(log.changedSince('p-1', null, T0 + 30_000)).toBe(true);
  });

  it('prunes the changes older than the given instant', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 1, T0);
    log.note('p-2', 1, T0 + MINUTE);
    log.note('p-3', 1, T0 + 2 * MINUTE);
    log.prune(T0 + MINUTE);

    expect(log.changedSince('p-1', 0, 0)).toBe(false);
    expect(log.changedSince('p-2', 0, 0)).toBe(true);
    expect(log.changedSince('p-3', 0, 0)).toBe(true);
  });

  it('keeps a profile noted again after it was first noted, when pruning the old instant', () => {
    const log = new ProfileChangeLog();
    log.note('p-1', 1, T0);
    log.note('p-2', 1, T0 + MINUTE);
    log.note('p-1', 2, T0 + 2 * MINUTE);
    log.prune(T0 + 90_000);

    expect(log.changedSince('p-1', 1, 0)).toBe(true);
    expect(log.changedSince('p-2', 0, 0)).toBe(false);
  });
});

describe('RuleFailureTally', () => {
  const budget = { code: 'budget_exceeded' as const, message: 'The rule needs more...' };

  it('counts the profiles with failures, and each rule and code, for one log line', () => {
    const tally = new RuleFailureTally();
    tally.add('p-1', []);
    tally.add('p-2', [{ ruleId: 3, ...budget }]);
    tally.add('p-3', [
      { ruleId: 3, ...budget },
      { ruleId: null, code: 'unsafe_path', message: 'The path "__proto__" is not allowed.' },
    ]);

    expect(tally.isEmpty).toBe(false);
    expect(tally.fields()).toEqual({
      profiles: 2,
      first_profile_id: 'p-2',
      failures: { 'rule 3: budget_exceeded': 2, 'query: unsafe_path': 1 },
    });
  });

  it('is empty while no profile failed', () => {
    const tally = new RuleFailureTally();
    tally.add('p-1', []);

    expect(tally.isEmpty).toBe(true);
  });
});

describe('VersionDigest', () => {
  function digestOf(pairs: [string, number][]): string {
    const digest = new VersionDigest();
    for (const [profileId, version] of pairs) digest.add(profileId, version);

    return digest.value();
  }

  const pairs: [string, number][] = [
    ['p-1', 3],
    ['p-2', 1],
    ['p-3', 12],
  ];

  it('agrees however the pairs were read', () => {
    expect(digestOf([...pairs].reverse())).toBe(digestOf(pairs));
    expect(digestOf([pairs[1]!, pairs[2]!, pairs[0]!])).toBe(digestOf(pairs));
  });

  it('differs when one profile was read at another version', () => {
    expect(
      digestOf([
        ['p-1', 3],
        ['p-2', 2],
        ['p-3', 12],
      ]),
    ).not.toBe(digestOf(pairs));
  });

  it('differs when a profile is missing', () => {
    expect(digestOf(pairs.slice(0, 2))).not.toBe(digestOf(pairs));
  });

  it('tells the profile id and version apart', () => {
    expect(digestOf([['p-1', 23]])).not.toBe(digestOf([['p-12', 3]]));
  });

  it('is the XOR of SHA-256 digests, all zeros when nothing was read', () => {
    expect(digestOf([])).toBe(`sha256-xor:${'0'.repeat(64)}`);
    expect(digestOf(pairs)).toMatch(/^sha256-xor:[0-9a-f]{64}$/);
  });
});

describe('nextRefreshAt', () => {
  function group(attributes: Partial<GroupDefinitionAttributes>): GroupDefinitionState {
    const state = evolveGroupDefinition(null, {
      type: 'GroupDefinitionCreated',
      data: {
        group_definition_id: 41,
        definition: {
          name: 'Engaged NZ customers',
          handle: 'engaged-nz',
          type: 'dynamic',
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
          ...attributes,
        },
        flags: { is_published: true, is_active: true, is_archived: false },
        created_at: '2026-06-01T00:00:00.000Z',
      },
    });
    if (state === null) throw new Error('group did not fold');

    return state;
  }

  const lastStart = new Date('2026-07-01T06:00:00.000Z');

  it.each([
    [6, 'hours' as const, '2026-07-01T12:00:00.000Z'],
    [1, 'days' as const, '2026-07-02T06:00:00.000Z'],
    [1, 'months' as const, '2026-08-01T06:00:00.000Z'],
  ])('schedules one refresh_period (%s %s) after the last start', (amount, unit, expected) => {
    const state = group({ refresh_period: amount, refresh_period_type: unit });

    expect(nextRefreshAt(state, lastStart)?.toISOString()).toBe(expected);
  });

  it('schedules nothing without a refresh_period', () => {
    expect(nextRefreshAt(group({}), lastStart)).toBeNull();
  });

  it('schedules nothing once the next refresh would pass refresh_absolute_expiry', () => {
    const state = group({
      refresh_period: 1,
      refresh_period_type: 'days',
      refresh_absolute_expiry: '2026-07-02T05:59:59.999Z',
    });

    expect(nextRefreshAt(state, lastStart)).toBeNull();
  });

  it('still schedules a refresh that falls on refresh_absolute_expiry itself', () => {
    const state = group({
      refresh_period: 1,
      refresh_period_type: 'days',
      refresh_absolute_expiry: '2026-07-02T06:00:00.000Z',
    });

    expect(nextRefreshAt(state, lastStart)?.toISOString()).toBe('2026-07-02T06:00:00.000Z');
  });
});
