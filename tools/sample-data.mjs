// The small sample `npm start` loads: idempotent, so a restart on the same data
// directory finds the groups already there and leaves them alone.
export async function loadSample(apiUrl, token) {
  const call = async (method, path, body) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();

    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const groups = [
    {
      name: 'VIP customers',
      handle: 'vip-customers',
      type: 'static',
      short_description: 'Hand-picked top spenders',
    },
    {
      name: 'Winter trial',
      handle: 'winter-trial',
      type: 'static',
      period: 30,
      period_type: 'days',
      short_description: 'Each membership lasts 30 days',
    },
  ];
  const made = [];
  for (const group of groups) {
    const existing = await call('GET', `/v3/groups/definitions/${group.handle}`);
    if (existing.status === 200) continue;
    const created = await call('POST', '/v3/groups/definitions', group);
    if (created.status !== 201)
      throw new Error(`sample: creating ${group.handle} answered ${created.status}`);
    const ids = Array.from(
      { length: 50 },
      (_, i) => `sample-profile-${String(i + 1).padStart(3, '0')}`,
    );
    const added = await call('POST', `/v3/groups/definitions/${group.handle}/profiles`, {
      profile_ids: ids,
    });
    if (added.status >= 300) throw new Error(`sample: adding members answered ${added.status}`);
    made.push(`${group.handle} (50 members)`);
  }

  made.push(...(await loadDynamicSample(call)));

  return made.length > 0 ? `created ${made.join(', ')}` : 'already loaded';
}

const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const TAGS = ['vip', 'newsletter', 'outdoor', 'kids', 'b2b'];

/** 200 sample profiles, the same on every start (a tiny seeded generator). */
function sampleProfile(index) {
  let state = index * 2654435761;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;

    return state / 2147483648;
  };
  const day = 86_400_000;

  return {
    tier: TIERS[Math.floor(random() * TIERS.length)],
    tags: TAGS.filter(() => random() < 0.25),
    total_spend: Math.round(random() * 400_000) / 100,
    orders_count: Math.floor(random() * 30),
    joined_at: new Date(Date.UTC(2026, 10, 1) - Math.floor(random() * 900) * day).toISOString(),
    consent: { email: random() < 0.7, sms: random() < 0.3 },
  };
}

/** Profiles, a rule definition and a dynamic group built from it with an exclusion. */
async function loadDynamicSample(call) {
  const existing = await call('GET', '/v3/groups/definitions/big-spenders');
  if (existing.status === 200) return [];
  for (let i = 1; i <= 200; i++) {
    const id = `sample-profile-${String(i).padStart(3, '0')}`;
    const put = await call('PUT', `/v3/profiles/${id}`, sampleProfile(i));
    if (put.status >= 300) throw new Error(`sample: upserting ${id} answered ${put.status}`);
  }
  let template = await call('GET', '/v3/groups/rule-definitions/spend-and-tier');
  if (template.status !== 200) {
    template = await call('POST', '/v3/groups/rule-definitions', {
      handle: 'spend-and-tier',
      name: 'Spent at least, in one of the tiers',
      rule: {
        and: [
          { '>=': [{ var: 'total_spend' }, { arg: 'minimum' }] },
          { in: [{ var: 'tier' }, { arg: 'tiers' }] },
        ],
      },
      arguments: [
        { name: 'minimum', type: 'number', required: true },
        { name: 'tiers', type: 'array', required: false, default: ['gold', 'platinum'] },
      ],
    });
    if (template.status !== 201)
      throw new Error(`sample: creating the rule definition answered ${template.status}`);
  }
  // Inactive until its rules are in, so that the first refresh sees all of them.
  const group = await call('POST', '/v3/groups/definitions', {
    name: 'Big spenders who read email',
    handle: 'big-spenders',
    type: 'dynamic',
    is_active: false,
    query: { '==': [{ var: 'consent.email' }, true] },
    query_type: 'jsonlogic',
    arguments: { minimum: 1500 },
    refresh_period: 1,
    refresh_period_type: 'hours',
  });
  if (group.status !== 201)
    throw new Error(`sample: creating big-spenders answered ${group.status}`);
  const rules = [
    { type: 'inclusion', group_rule_definition_id: template.body.data.id },
    { type: 'exclusion', name: 'Business accounts', rule: { in: ['b2b', { var: 'tags' }] } },
  ];
  for (const rule of rules) {
    const added = await call('POST', '/v3/groups/definitions/big-spenders/rules', rule);
    if (added.status !== 201) throw new Error(`sample: adding a rule answered ${added.status}`);
  }
  const activated = await call('PUT', '/v3/groups/definitions/big-spenders', { is_active: true });
  if (activated.status !== 200)
    throw new Error(`sample: activating big-spenders answered ${activated.status}`);

  return ['200 profiles', 'rule definition spend-and-tier', 'dynamic group big-spenders'];
}
