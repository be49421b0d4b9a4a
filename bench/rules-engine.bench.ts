// npm run bench:rules
// Our compiled JSONLogic engine against json-logic-js on the same rules and profiles, in
// one process: a warm-up, then rounds that alternate between the two engines.
import {
  type CompiledRule,
  compileRule,
  type JsonValue,
  parseTimestamp,
} from '@profile-groups/rules';
import * as jsonLogic from 'json-logic-js';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);
const PROFILES = 10_000;
const ROUNDS = 9;

const RULES: Record<string, JsonValue> = {
  gold: { '==': [{ var: 'tier' }, 'gold'] },
  premiumTier: { in: [{ var: 'tier' }, ['gold', 'platinum', 'vip']] },
  taggedVip: { in: ['vip', { var: 'tags' }] },
  bigSpender: { '>=': [{ var: 'total_spend' }, 1000] },
  emailDach: {
    and: [
      { '==': [{ var: 'consent.email' }, true] },
      { in: [{ var: 'address.country' }, ['DE', 'AT', 'CH']] },
    ],
  },
  newMember: { '<=': [{ days_since: { var: 'joined_at' } }, 30] },
  lapsed: {
    and: [
      { '>': [{ days_since: { var: 'last_order_at' } }, 90] },
      { '>=': [{ var: 'orders_count' }, 3] },
    ],
  },
  winBack: {
    or: [
      { and: [{ '!': { var: 'consent.sms' } }, { '>': [{ var: 'total_spend' }, 500] }] },
      { in: ['churn-risk', { var: 'tags' }] },
    ],
  },
  youngValue: {
    and: [
      { '<=': [18, { var: 'age' }, 30] },
      { '>=': [{ '+': [{ var: 'total_spend' }, { var: 'gift_card_balance' }] }, 200] },
      { '!': { in: ['blocked', { var: 'tags' }] } },
    ],
  },
  bigOrder: { some: [{ var: 'orders' }, { '>=': [{ var: 'amount' }, 250] }] },
  complete: { '!': { missing: ['email', 'first_name', 'address.city'] } },
};

// json-logic-js has no days_since: the same operator, at the same fixed instant.
jsonLogic.add_operation('days_since', (value: unknown) => {
  const at =
    typeof value === 'number' ? value : typeof value === 'string' ? parseTimestamp(value) : null;

  return at === null ? null : Math.floor((NOW - at) / DAY_MS);
});

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function profiles(count: number): Record<string, unknown>[] {
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sometimes = <T>(p: number, value: () => T): T | undefined =>
    random() < p ? value() : undefined;
  const daysAgo = (max: number) =>
    new Date(NOW - Math.floor(random() * max * DAY_MS)).toISOString();

  return Array.from({ length: count }, (_, i) => {
    const spend = Math.round(random() * 300_000) / 100;

    return {
      id: `p-${i}`,
      email: sometimes(0.9, () => `user${i}@example.com`),
      first_name: sometimes(0.8, () => pick(['Ann', 'Bo', 'Cem', 'Dana'])),
      tier: pick(['bronze', 'silver', 'gold', 'platinum', 'vip', null]),
      tags: Array.from({ length: Math.floor(random() * 5) }, () =>
        pick(['vip', 'newsletter', 'churn-risk', 'b2b', 'blocked', 'beta']),
      ),
      total_spend: random() < 0.1 ? String(spend) : spend,
      gift_card_balance: sometimes(0.3, () => Math.floor(random() * 300)),
      consent: { email: random() < 0.6, sms: sometimes(0.7, () => random() < 0.4) },
      address: sometimes(0.85, () => ({
        country: pick(['DE', 'AT', 'CH', 'FR', 'NL']),
        city: sometimes(0.9, () => pick(['Berlin', 'Wien', 'Zürich', 'Paris'])),
      })),
      age: sometimes(0.8, () => 16 + Math.floor(random() * 60)),
      joined_at: daysAgo(800),
      last_order_at: sometimes(0.8, () => daysAgo(400)),
      orders_count: Math.floor(random() * 12),
      orders: Array.from({ length: Math.floor(random() * 6) }, () => ({
        amount: Math.round(random() * 40_000) / 100,
      })),
    };
  });
}

const rules = Object.values(RULES);
const data = profiles(PROFILES);
const context = { now: NOW };
const pairs = rules.length * data.length;

const compileStarted = performance.now();
const compiled: CompiledRule[] = rules.map((rule) => compileRule(rule));
const compileMs = performance.now() - compileStarted;

/** One pass over every (rule, profile) pair: how many matched. */
function pass(evaluate: (rule: number, profile: Record<string, unknown>) => unknown): number {
  let matched = 0;
  for (let r = 0; r < rules.length; r++) {
    for (const profile of data) {
      const value = evaluate(r, profile);
      if (Array.isArray(value) ? value.length > 0 : Boolean(value)) matched++;
    }
  }

  return matched;
}

/**
 * CPU seconds of this process (other work on the machine disturbs it less than wall
 * time) for a number of passes, and how many pairs a pass matched.
 */
function timed(
  evaluate: (rule: number, profile: Record<string, unknown>) => unknown,
  passes: number,
) {
  const started = process.cpuUsage();
  let matched = 0;
  for (let i = 0; i < passes; i++) matched = pass(evaluate);
  const used = process.cpuUsage(started);

  return { seconds: (used.user + used.system) / 1e6, matched };
}

const engines = {
  ours: (r: number, profile: Record<string, unknown>) =>
    (compiled[r] as CompiledRule).evaluate(profile, context),
  'json-logic-js': (r: number, profile: Record<string, unknown>) =>
    jsonLogic.apply(rules[r], profile),
};
type Engine = keyof typeof engines;

// Warm up, then give each engine enough passes per round for a quarter of a second, well
// above the resolution of CPU time accounting.
const passes = {} as Record<Engine, number>;
for (const name of Object.keys(engines) as Engine[]) {
  for (let i = 0; i < 3; i++) pass(engines[name]);
  passes[name] = Math.max(1, Math.ceil(0.25 / timed(engines[name], 1).seconds));
}

const timings: Record<Engine, number[]> = { ours: [], 'json-logic-js': [] };
const matches = new Set<number>();
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which engine goes first, so neither always runs on a warmer machine.
  const order: Engine[] = round % 2 === 0 ? ['ours', 'json-logic-js'] : ['json-logic-js', 'ours'];
  for (const name of order) {
    const { seconds, matched } = timed(engines[name], passes[name]);
    timings[name].push(seconds / passes[name]);
    matches.add(matched);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
// Other work on the machine can only slow a round down: the best round is the steadiest
// figure from run to run, the median the typical one.
const rates = (name: Engine) => ({
  median: pairs / median(timings[name]),
  best: pairs / Math.min(...timings[name]),
});
const ours = rates('ours');
const theirs = rates('json-logic-js');
const millions = (perSecond: number) => (perSecond / 1e6).toFixed(2).padStart(6);

console.log(
  `rules-engine benchmark (node ${process.version}, ${process.platform}/${process.arch})`,
);
console.log(
  `  ${rules.length} rules x ${data.length} profiles = ${pairs} pairs per round, ${ROUNDS} rounds each`,
);
console.log(`  compiling all ${rules.length} rules: ${compileMs.toFixed(1)} ms`);
console.log('  million evaluations per CPU second   median    best');
console.log(
  `    ours                               ${millions(ours.median)}  ${millions(ours.best)}`,
);
console.log(
  `    json-logic-js                      ${millions(theirs.median)}  ${millions(theirs.best)}`,
);
console.log(
  `    ratio                              ${(ours.median / theirs.median).toFixed(1).padStart(5)}x ${(ours.best / theirs.best).toFixed(1).padStart(5)}x`,
);
console.log('  reproduce: npm run bench:rules');
if (matches.size !== 1) {
  console.error(`the engines disagree: matched counts ${[...matches].join(', ')}`);
  process.exit(1);
}
