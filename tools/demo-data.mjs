// The demo `npm start` loads after the small sample: 50,000 seeded Omneo-shaped profiles
// and their connections published on Kafka as the platform that owns them would, static
// groups, dynamic groups built from retail rule definitions, and favourite groups that
// stylists, households and referrers own. Idempotent: a restart on the same data
// directory finds the demo loaded and leaves it alone.
import { createRequire } from 'node:module';
import path from 'node:path';

import { repoRoot } from './lib.mjs';

const require = createRequire(import.meta.url);
const dist = (lib) => require(path.join(repoRoot, 'dist/libs', lib, 'src/index.js'));

export const DEMO_SEED = 42;
const MARKER = 'demo-high-spenders';

/** Rule definitions an operator of a retailer would keep (JSONLogic with arguments). */
const RULE_DEFINITIONS = [
  {
    handle: 'spend-12m-over',
    name: 'Spent more than a threshold in the last 12 months',
    rule: { '>': [{ var: ['aggregations.spend_12m', 0] }, { arg: 'threshold' }] },
    arguments: [{ name: 'threshold', type: 'number', required: true }],
  },
  {
    handle: 'tier-in',
    name: 'In one of the tiers',
    rule: { in: [{ var: 'tier_handle' }, { arg: 'tiers' }] },
    arguments: [{ name: 'tiers', type: 'array', required: true }],
  },
  {
    handle: 'has-tag',
    name: 'Has the tag',
    rule: { in: [{ arg: 'tag' }, { var: ['flattened_tags', []] }] },
    arguments: [{ name: 'tag', type: 'string', required: true }],
  },
  {
    handle: 'email-promo-opt-in',
    name: 'Opted in to email promotions',
    rule: { '==': [{ var: 'attributes.comms.email_promo_opt_in' }, true] },
    arguments: [],
  },
  {
    handle: 'birth-month',
    name: 'Born in the month',
    rule: { '==': [{ var: 'birth_month' }, { arg: 'month' }] },
    arguments: [{ name: 'month', type: 'number', required: true }],
  },
  {
    handle: 'joined-within-days',
    name: 'Joined in the last days',
    // The `var` guard: days_since of a missing date is null, and null <= 30 holds.
    rule: {
      and: [
        { var: 'joined_at' },
        { '<=': [{ days_since: { var: 'joined_at' } }, { arg: 'days' }] },
      ],
    },
    arguments: [{ name: 'days', type: 'number', required: true, default: 30 }],
  },
];

function dynamicGroups(month) {
  return [
    {
      definition: {
        name: 'High spenders',
        handle: MARKER,
        short_description: 'Over 1,000 in 12 months, staff excluded',
      },
      rules: [
        {
          type: 'inclusion',
          template: 'spend-12m-over',
          arguments: [{ name: 'threshold', value: 1000 }],
        },
        { type: 'exclusion', template: 'has-tag', arguments: [{ name: 'tag', value: 'staff' }] },
      ],
    },
    {
      definition: {
        name: 'Gold and platinum who read promotions',
        handle: 'demo-top-tiers-promo',
        query: { '==': [{ var: 'attributes.comms.email_promo_opt_in' }, true] },
        query_type: 'jsonlogic',
      },
      rules: [
        {
          type: 'inclusion',
          template: 'tier-in',
          arguments: [{ name: 'tiers', value: ['gold', 'platinum'] }],
        },
      ],
    },
    {
      definition: { name: 'VIP, not business accounts', handle: 'demo-vip-not-b2b' },
      rules: [
        { type: 'inclusion', template: 'has-tag', arguments: [{ name: 'tag', value: 'vip' }] },
        { type: 'exclusion', template: 'has-tag', arguments: [{ name: 'tag', value: 'b2b' }] },
      ],
    },
    {
      definition: { name: 'Birthday this month, opted in', handle: 'demo-birthday-month' },
      rules: [
        {
          type: 'inclusion',
          template: 'birth-month',
          arguments: [{ name: 'month', value: month }],
        },
        { type: 'exclusion', rule: { '!': { var: 'attributes.comms.email_promo_opt_in' } } },
      ],
    },
    {
      definition: {
        name: 'Joined in the last 30 days',
        handle: 'demo-new-joiners',
        refresh_period: 1,
        refresh_period_type: 'days',
      },
      rules: [{ type: 'inclusion', template: 'joined-within-days' }],
    },
  ];
}

const FAVOURITE_DEFINITIONS = [
  {
    name: 'My clients',
    handle: 'demo-my-clients',
    type: 'favourite',
    source_type: 'stylist-client',
  },
  {
    name: 'My household',
    handle: 'demo-my-household',
    type: 'favourite',
    source_type: 'household',
  },
  {
    name: 'People I referred',
    handle: 'demo-my-referrals',
    type: 'favourite',
    source_type: 'referrer',
  },
];

/**
 * Loads the demo through the running system: definitions over REST, profiles and
 * connections on Kafka, favourite instances over REST once their connections are in.
 * `report` receives one line per step. Resolves with whether it loaded anything.
 */
export async function loadDemo({ apiUrl, token, kafkaBrokers, topicPrefix, count, report }) {
  const call = api(apiUrl, token);
  if ((await call('GET', `/v3/groups/definitions/${MARKER}`)).status === 200) {
    report('demo: already loaded');

    return false;
  }
  const { createKafka } = dist('messaging');
  const { Logger } = dist('observability');
  const { generateProfiles, generateConnections, publishProfiles, publishConnections } =
    dist('demo-data');
  // Today at midnight UTC: the data stays the same all day ("joined in the last 30 days").
  const now = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00.000Z');
  const options = { seed: DEMO_SEED, count, now: now.toISOString() };

  const templates = new Map();
  for (const definition of RULE_DEFINITIONS) {
    templates.set(
      definition.handle,
      (await must(call('POST', '/v3/groups/rule-definitions', definition), 201)).id,
    );
  }
  // Groups are created inactive and activated once their rules are in, so each has one
  // first refresh with all of its rules; profiles arriving later are evaluated one by one.
  for (const { definition, rules } of dynamicGroups(now.getUTCMonth() + 1)) {
    await must(
      call('POST', '/v3/groups/definitions', { ...definition, type: 'dynamic', is_active: false }),
      201,
    );
    for (const rule of rules) {
      const body = rule.template
        ? {
            type: rule.type,
            group_rule_definition_id: templates.get(rule.template),
            arguments: rule.arguments ?? [],
          }
        : { type: rule.type, rule: rule.rule };
      await must(call('POST', `/v3/groups/definitions/${definition.handle}/rules`, body), 201);
    }
    await must(
      call('PUT', `/v3/groups/definitions/${definition.handle}`, { is_active: true }),
      200,
    );
  }
  report(
    `demo: ${RULE_DEFINITIONS.length} rule definitions, ${dynamicGroups(1).length} dynamic groups`,
  );
  for (const definition of FAVOURITE_DEFINITIONS) {
    await must(call('POST', '/v3/groups/definitions', definition), 201);
  }

  const kafka = createKafka(
    { brokers: kafkaBrokers, clientId: 'demo-data' },
    new Logger('demo', 'error'),
  );
  const started = Date.now();
  await publishProfiles(kafka, topicPrefix, generateProfiles(options), {
    onProgress: (published) => {
      if (published % 10_000 === 0 || published === count)
        report(`demo: ${published}/${count} profiles published`);
    },
  });
  const ids = [];
  for (const profile of generateProfiles(options)) ids.push(profile.profile_id);
  const connections = generateConnections(generateProfiles(options), { seed: DEMO_SEED });
  await publishConnections(kafka, topicPrefix, connections);
  report(
    `demo: ${connections.length} connections published (${Math.round((Date.now() - started) / 1000)} s)`,
  );

  await must(
    call('POST', '/v3/groups/definitions', {
      name: 'Store opening invitees',
      handle: 'demo-store-opening',
      type: 'static',
    }),
    201,
  );
  await must(
    call('POST', '/v3/groups/definitions/demo-store-opening/profiles', {
      profile_ids: ids.slice(0, 2000),
    }),
    201,
  );
  await must(
    call('POST', '/v3/groups/definitions', {
      name: 'Winter trial',
      handle: 'demo-winter-trial',
      type: 'static',
      period: 30,
      period_type: 'days',
    }),
    201,
  );
  await must(
    call('POST', '/v3/groups/definitions/demo-winter-trial/profiles', {
      profile_ids: ids.slice(2000, 2500),
    }),
    201,
  );
  report(
    'demo: static groups demo-store-opening (2,000) and demo-winter-trial (500, 30 days each)',
  );

  // Every stylist gets "My clients"; the first 20 households and referrers theirs.
  const owners = { 'stylist-client': new Set(), household: new Set(), referrer: new Set() };
  for (const connection of connections) owners[connection.type].add(connection.profile_id);
  const activations = [
    ...[...owners['stylist-client']].map((owner) => [owner, 'demo-my-clients']),
    ...[...owners.household].slice(0, 20).map((owner) => [owner, 'demo-my-household']),
    ...[...owners.referrer].slice(0, 20).map((owner) => [owner, 'demo-my-referrals']),
  ];
  for (const [owner, definition] of activations) {
    await must(
      call('POST', `/v3/profiles/${owner}/groups`, { group_definition_id: definition }),
      201,
    );
  }
  report(
    `demo: ${activations.length} favourite groups activated (${owners['stylist-client'].size} stylists)`,
  );

  return true;
}

function api(apiUrl, token) {
  return async (method, route, body) => {
    const response = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();

    return { status: response.status, body: text ? JSON.parse(text) : null, method, route };
  };
}

async function must(pending, status) {
  const answer = await pending;
  if (answer.status !== status) {
    throw new Error(
      `demo: ${answer.method} ${answer.route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  }

  return answer.body?.data;
}
