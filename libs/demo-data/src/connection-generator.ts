import { DemoDataError } from './demo-data.errors';
import { type DemoProfile } from './profile-generator';
import { assertSeed, SeededRandom } from './seeded-random';

export const CONNECTION_TYPES = ['household', 'stylist-client', 'referrer'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export const CONNECTION_STATUSES = ['accepted', 'pending', 'declined'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A connection from `profile_id` to `connected_profile_id`, in the field names of the
 * connection input events. `household` is symmetric (both directions are listed, with
 * the same status); `stylist-client` goes stylist -> client, `referrer` referrer -> referred.
 */
export interface DemoConnection {
  profile_id: string;
  connected_profile_id: string;
  type: ConnectionType;
  status: ConnectionStatus;
}

export interface GenerateConnectionsOptions {
  readonly seed: number;
  /** Share of profiles living in a household of 2 to 5 (default 0.2). */
  readonly householdShare?: number;
  /** One stylist per this many profiles, at least one from 20 profiles (default 2500). */
  readonly profilesPerStylist?: number;
  /** Share of profiles referred by another (default 0.06). */
  readonly referredShare?: number;
}

const CONNECTIONS_DOMAIN = 0xc0ec7;
const HOUSEHOLD_SIZES = [
  [2, 45],
  [3, 25],
  [4, 20],
  [5, 10],
] as const;

interface Person {
  readonly id: string;
  readonly lastName: string;
  readonly joinedAt: number;
  readonly staff: boolean;
}

/**
 * Connections between the given profiles: households (sharing a surname where one is
 * free), a few stylists with many clients each (staff first), and referrals from
 * earlier members to later ones. Deterministic in (profiles, options); never a
 * connection from a profile to itself, nor the same (from, to, type) twice.
 */
export function generateConnections(
  profiles: Iterable<DemoProfile>,
  options: GenerateConnectionsOptions,
): DemoConnection[] {
  assertSeed(options.seed);
  const householdShare = share(options.householdShare ?? 0.2, 'householdShare');
  const referredShare = share(options.referredShare ?? 0.06, 'referredShare');
  const perStylist = options.profilesPerStylist ?? 2500;
  if (!Number.isInteger(perStylist) || perStylist < 1) {
    throw new DemoDataError('demo_data.invalid_option', 'profilesPerStylist must be 1 or more');
  }
  // Only what the connections need is kept, so the profiles can stream past.
  const people: Person[] = [];
  for (const profile of profiles) people.push(toPerson(profile));
  const random = new SeededRandom(options.seed, 0, CONNECTIONS_DOMAIN);

  return [
    ...households(people, random, householdShare),
    ...stylistClients(people, random, perStylist),
    ...referrals(people, random, referredShare),
  ];
}

function toPerson(profile: DemoProfile): Person {
  const { last_name: lastName, joined_at: joinedAt, flattened_tags: tags } = profile.attributes;

  return {
    id: profile.profile_id,
    lastName: lastName ?? '',
    joinedAt: Date.parse(joinedAt),
    staff: tags.includes('staff'),
  };
}

function households(people: readonly Person[], random: SeededRandom, target: number) {
  const order = random.shuffle(people.map((_, index) => index));
  const bySurname = new Map<string, number[]>();
  for (const index of order) {
    const surname = people[index]!.lastName;
    const bucket = bySurname.get(surname);
    if (bucket === undefined) bySurname.set(surname, [index]);
    else bucket.push(index);
  }
  const assigned = new Uint8Array(people.length);
  const takeFrom = (candidates: number[]): number | undefined => {
    while (candidates.length > 0) {
      const index = candidates.pop()!;
      if (assigned[index] === 0) return index;
    }

    return undefined;
  };
  const anyone = [...order];
  const connections: DemoConnection[] = [];
  let placed = 0;
  for (const first of order) {
    if (placed >= target * people.length) break;
    if (assigned[first] === 1) continue;
    assigned[first] = 1;
    const members = [first];
    const size = random.weighted<number>(HOUSEHOLD_SIZES);
    const sameName = bySurname.get(people[first]!.lastName) ?? [];
    while (members.length < size) {
      const next = (random.chance(0.7) ? takeFrom(sameName) : undefined) ?? takeFrom(anyone);
      if (next === undefined) break;
      assigned[next] = 1;
      members.push(next);
    }
    if (members.length < 2) break;
    placed += members.length;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const status = connectionStatus(random, 90, 7);
        const [a, b] = [people[members[i]!]!.id, people[members[j]!]!.id];
        connections.push(
          { profile_id: a, connected_profile_id: b, type: 'household', status },
          { profile_id: b, connected_profile_id: a, type: 'household', status },
        );
      }
    }
  }

  return connections;
}

function stylistClients(people: readonly Person[], random: SeededRandom, perStylist: number) {
  if (people.length < 20) return [];
  const count = Math.max(1, Math.round(people.length / perStylist));
  const order = random.shuffle(people.map((_, index) => index));
  const candidates = [
    ...order.filter((index) => people[index]!.staff),
    ...order.filter((index) => !people[index]!.staff),
  ];
  const stylists = new Set(candidates.slice(0, count));
  const connections: DemoConnection[] = [];
  for (const stylist of stylists) {
    const wanted = Math.min(
      Math.floor((people.length - count) / 4),
      Math.max(5, Math.round(random.logNormal(80, 0.7))),
    );
    const clients = new Set<number>();
    while (clients.size < wanted) {
      const client = random.int(0, people.length - 1);
      if (!stylists.has(client)) clients.add(client);
    }
    for (const client of clients) {
      connections.push({
        profile_id: people[stylist]!.id,
        connected_profile_id: people[client]!.id,
        type: 'stylist-client',
        status: connectionStatus(random, 88, 9),
      });
    }
  }

  return connections;
}

function referrals(people: readonly Person[], random: SeededRandom, referredShare: number) {
  if (people.length < 2) return [];
  const advocates = Array.from({ length: Math.max(1, Math.round(people.length / 100)) }, () =>
    random.int(0, people.length - 1),
  );
  const wanted = Math.round(people.length * referredShare);
  const referred = new Set<number>();
  const connections: DemoConnection[] = [];
  for (let attempt = 0; referred.size < wanted && attempt < wanted * 5; attempt++) {
    const newcomer = random.int(0, people.length - 1);
    const referrer = random.chance(0.4) ? random.pick(advocates) : random.int(0, people.length - 1);
    // Only a member who joined earlier can have referred someone.
    if (referred.has(newcomer) || people[referrer]!.joinedAt >= people[newcomer]!.joinedAt) {
      continue;
    }
    referred.add(newcomer);
    connections.push({
      profile_id: people[referrer]!.id,
      connected_profile_id: people[newcomer]!.id,
      type: 'referrer',
      status: connectionStatus(random, 80, 15),
    });
  }

  return connections;
}

function connectionStatus(random: SeededRandom, accepted: number, pending: number) {
  return random.weighted<ConnectionStatus>([
    ['accepted', accepted],
    ['pending', pending],
    ['declined', 100 - accepted - pending],
  ]);
}

function share(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) {
    throw new DemoDataError('demo_data.invalid_option', `${name} must be from 0 to 1`);
  }

  return value;
}
