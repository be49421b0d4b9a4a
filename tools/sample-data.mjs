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

  return made.length > 0 ? `created ${made.join(', ')}` : 'already loaded';
}
