/* eslint-disable @typescript-eslint/require-await -- the in-memory stand-ins keep the async signatures of the stores they replace */
import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';

import { type NestExpressApplication } from '@nestjs/platform-express';
import {
  type EnvelopeOf,
  type EvaluationEvent,
  type EventEnvelope,
  type EventMetadata,
  EVENT_CATALOGUE,
  type JsonObject,
  type MemberAdded,
  type MemberRemoved,
  type NewEvent,
  type StreamCategory,
} from '@profile-groups/contracts';
import {
  type ConnectionRecord,
  type ConnectionStore,
  type ProfileRecord,
  type ProfileResult,
  type ProfileStore,
  type ResultFilter,
  type SnapshotArchive,
} from '@profile-groups/evaluation';
import {
  type Append,
  type AppendManyResult,
  assertEventsFit,
  ConcurrencyError,
  DEFAULT_MAX_EVENT_BYTES,
  type EventStore,
  type HistorySlice,
  type StreamFilter,
  type StreamRead,
} from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import {
  type DefinitionFilters,
  type DefinitionWithRefresh,
  type GroupDefinitionView,
  isSnapshotEvent,
  type MembershipView,
  membershipFromAdded,
  mergeRefreshState,
  type Page,
  type PageRequest,
  projectGroupDefinition,
  projectRefreshState,
  projectRuleDefinition,
  projectSnapshot,
  type ReadModelQueries,
  type RefreshStateView,
  removalChanges,
  type RuleDefinitionView,
  type SnapshotView,
} from '@profile-groups/read-models';

import { loadCommandApiConfig } from '../src/app.config';
import { createCommandApi } from '../src/app.factory';
import { Clock } from '../src/infrastructure/clock';
import { type HandleClaim, type HandleRegistry } from '../src/infrastructure/handle-registry';
import { type HealthCheck } from '../src/infrastructure/health-checks';

// ---------------------------------------------------------------------------------------
// In-memory stand-ins, behind the classes the app injects. They keep the contracts that
// matter here: optimistic concurrency per stream, unique handle claims, projections.

export class InMemoryEventStore {
  readonly streams = new Map<string, EventEnvelope[]>();
  /** Every stored event in the order it was stored. */
  private readonly recorded: EventEnvelope[] = [];
  private readonly sequences = new Map<string, number>();
  /** Streams whose next append conflicts once, as if another writer got there first. */
  readonly conflictOnce = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEventBytes = DEFAULT_MAX_EVENT_BYTES,
  ) {}

  async ensureIndexes(): Promise<void> {}

  async readStream(stream: string): Promise<StreamRead> {
    const events = [...(this.streams.get(stream) ?? [])];

    return { stream, version: events.length, events };
  }

  async readStreams(
    category: StreamCategory,
    filter: StreamFilter,
  ): Promise<Map<string, StreamRead>> {
    const found = new Map<string, StreamRead>();
    for (const [stream, events] of this.streams) {
      const data = events[0]?.data as
        | { group_definition_id?: number; profile_id?: string }
        | undefined;
      const matches =
        (filter.group_definition_id === undefined ||
          data?.group_definition_id === filter.group_definition_id) &&
        (filter.profile_id === undefined || data?.profile_id === filter.profile_id);
      if (stream.startsWith(`${category}-`) && matches) {
        found.set(stream, await this.readStream(stream));
      }
    }

    return found;
  }

  /** In append order, which is the recorded order here. */
  async readHistory(
    categories: readonly StreamCategory[],
    filter: StreamFilter,
  ): Promise<EventEnvelope[]> {
    const matches = (event: EventEnvelope) => {
      const data = event.data as { group_definition_id?: number; profile_id?: string };
      return (
        categories.some((category) => event.stream.startsWith(`${category}-`)) &&
        (filter.group_definition_id === undefined ||
          data.group_definition_id === filter.group_definition_id) &&
        (filter.profile_id === undefined || data.profile_id === filter.profile_id)
      );
    };

    return this.recorded.filter(matches);
  }

  async readGroupHistory(
    groupDefinitionId: number,
    offset: number,
    limit: number,
  ): Promise<HistorySlice> {
    const events = await this.readHistory(
      ['group-definition', 'group-evaluation', 'group-member'],
      { group_definition_id: groupDefinitionId },
    );

    return { events: events.slice(offset, offset + limit), total: events.length };
  }

  async append(
    stream: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ) {
    const result = await this.appendMany([{ stream, expectedVersion, events }], metadata);
    if (result.conflicts.length > 0) throw new ConcurrencyError(stream, expectedVersion);

    return result.appended.get(stream) ?? [];
  }

  async appendMany(appends: readonly Append[], metadata: EventMetadata): Promise<AppendManyResult> {
    const appended = new Map<string, EventEnvelope[]>();
    const conflicts: string[] = [];
    const planned = appends.map((append) => ({
      ...append,
      envelopes: this.envelope(append, metadata),
    }));
    // Like the real store: a too large event refuses the whole call before any write.
    assertEventsFit(
      planned.flatMap((append) => append.envelopes),
      this.maxEventBytes,
    );
    for (const { stream, expectedVersion, envelopes } of planned) {
      const existing = this.streams.get(stream) ?? [];
      if (this.conflictOnce.delete(stream) || existing.length !== expectedVersion) {
        conflicts.push(stream);
        continue;
      }
      this.streams.set(stream, [...existing, ...envelopes]);
      this.recorded.push(...envelopes);
      appended.set(stream, envelopes);
    }

    return { appended, conflicts };
  }

  private envelope(
    { stream, expectedVersion, events }: Append,
    metadata: EventMetadata,
  ): EventEnvelope[] {
    return events.map(
      (event, i): EventEnvelope => ({
        id: randomUUID(),
        type: event.type,
        schema_version: EVENT_CATALOGUE[event.type as keyof typeof EVENT_CATALOGUE].schemaVersion,
        stream,
        stream_version: expectedVersion + i + 1,
        time: this.clock.now().toISOString(),
        ...metadata,
        data: event.data,
      }),
    );
  }

  async nextSequence(name: string): Promise<number> {
    const next = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, next);

    return next;
  }

  eventsOf(stream: string): EventEnvelope[] {
    return this.streams.get(stream) ?? [];
  }

  /** Appends as another writer (the evaluation worker) would, at the stream's end. */
  async record(stream: string, events: NewEvent[]): Promise<void> {
    const metadata = { correlation_id: 'worker', causation_id: null, actor: null };
    await this.append(stream, this.eventsOf(stream).length, events, metadata);
  }
}

interface Views {
  definitions: GroupDefinitionView[];
  memberships: MembershipView[];
  ruleDefinitions: RuleDefinitionView[];
  refreshStates: Map<number, RefreshStateView>;
  snapshots: SnapshotView[];
}

/** Read models projected on demand from the fake store with the real projections. */
export class InMemoryReadModels {
  constructor(private readonly store: InMemoryEventStore) {}

  private views(): Views {
    const memberships = new Map<string, MembershipView>();
    const views: Views = {
      definitions: [],
      memberships: [],
      ruleDefinitions: [],
      refreshStates: new Map(),
      snapshots: [],
    };
    const snapshots = new Map<string, SnapshotView>();
    const fold = <V>(
      events: EventEnvelope[],
      project: (view: V | null, event: never) => V | null,
    ) => events.reduce<V | null>((view, event) => project(view, event as never) ?? view, null);
    for (const [stream, events] of this.store.streams) {
      if (stream.startsWith('group-definition-')) {
        const view = fold<GroupDefinitionView>(events, projectGroupDefinition);
        if (view) views.definitions.push(view);
      } else if (stream.startsWith('rule-definition-')) {
        const view = fold<RuleDefinitionView>(events, projectRuleDefinition);
        if (view) views.ruleDefinitions.push(view);
      } else if (stream.startsWith('group-evaluation-')) {
        const typed = events as EnvelopeOf<EvaluationEvent>[];
        const refresh = fold<RefreshStateView>(typed, projectRefreshState);
        if (refresh) views.refreshStates.set(refresh._id, refresh);
        for (const event of typed.filter(isSnapshotEvent)) {
          const run = projectSnapshot(snapshots.get(event.data.snapshot_id) ?? null, event);
          if (run) snapshots.set(run.id, run);
        }
      } else if (stream.startsWith('group-member-')) {
        for (const event of events) {
          if (event.type === 'MemberAdded') {
            const added = membershipFromAdded(event as EnvelopeOf<MemberAdded>);
            memberships.set(added.id, added);
          } else {
            const removed = event as EnvelopeOf<MemberRemoved>;
            const view = memberships.get(removed.data.membership_id);
            if (view) memberships.set(view.id, { ...view, ...removalChanges(removed) });
          }
        }
      }
    }
    views.memberships = [...memberships.values()];
    for (const definition of views.definitions) {
      definition.current_member_count = views.memberships.filter(
        (m) => m.group_definition_id === definition.id && m.is_current,
      ).length;
    }
    views.definitions.sort((a, b) => a.id - b.id);
    views.ruleDefinitions.sort((a, b) => a.id - b.id);
    views.snapshots = [...snapshots.values()].sort((a, b) => b.sequence - a.sequence);

    return views;
  }

  private merged(view: GroupDefinitionView | undefined, views: Views) {
    return view === undefined
      ? null
      : mergeRefreshState(view, views.refreshStates.get(view.id) ?? null);
  }

  async definitionById(id: number): Promise<DefinitionWithRefresh | null> {
    const views = this.views();

    return this.merged(
      views.definitions.find((d) => d.id === id && !d.is_deleted),
      views,
    );
  }

  async definitionByHandle(handle: string): Promise<DefinitionWithRefresh | null> {
    const views = this.views();

    return this.merged(
      views.definitions.find((d) => d.handle === handle && !d.is_deleted),
      views,
    );
  }

  async browseDefinitions(
    filters: DefinitionFilters,
    page: PageRequest,
  ): Promise<Page<DefinitionWithRefresh>> {
    const views = this.views();
    const items = views.definitions.filter(
      (d) =>
        !d.is_deleted &&
        (filters.type === undefined || d.type === filters.type) &&
        (filters.is_active === undefined || d.is_active === filters.is_active) &&
        (filters.is_archived === undefined || d.is_archived === filters.is_archived) &&
        (filters.handle === undefined || d.handle === filters.handle) &&
        (filters.owner_profile_id !== undefined
          ? d.owner_profile_id === filters.owner_profile_id
          : filters.include_owned === true || !d.is_owned),
    );

    return slice(
      items.map((item) => mergeRefreshState(item, views.refreshStates.get(item.id) ?? null)),
      page,
    );
  }

  async definitionsUsingRuleDefinition(ruleDefinitionId: number): Promise<number[]> {
    return this.views()
      .definitions.filter((d) => !d.is_deleted && d.rule_definition_ids.includes(ruleDefinitionId))
      .map((d) => d.id);
  }

  async members(groupId: number, options: { includeRemoved: boolean }, page: PageRequest) {
    const items = this.views().memberships.filter(
      (m) => m.group_definition_id === groupId && (options.includeRemoved || m.is_current),
    );

    return slice(items, page);
  }

  async membershipsOfProfile(profileId: string, page: PageRequest) {
    return slice(
      this.views().memberships.filter((m) => m.profile_id === profileId && m.is_current),
      page,
    );
  }

  async currentMembership(groupId: number, profileId: string) {
    return (
      this.views().memberships.find(
        (m) => m.group_definition_id === groupId && m.profile_id === profileId && m.is_current,
      ) ?? null
    );
  }

  async ruleDefinitionById(id: number) {
    return this.views().ruleDefinitions.find((r) => r.id === id && !r.is_deleted) ?? null;
  }

  async ruleDefinitionByHandle(handle: string) {
    return this.views().ruleDefinitions.find((r) => r.handle === handle && !r.is_deleted) ?? null;
  }

  async browseRuleDefinitions(page: PageRequest) {
    return slice(
      this.views().ruleDefinitions.filter((r) => !r.is_deleted),
      page,
    );
  }

  async snapshots(groupId: number, page: PageRequest) {
    return slice(
      this.views().snapshots.filter((s) => s.group_definition_id === groupId),
      page,
    );
  }

  async snapshot(groupId: number, snapshotId: string) {
    return (
      this.views().snapshots.find(
        (s) => s.id === snapshotId && s.group_definition_id === groupId,
      ) ?? null
    );
  }

  async completedSnapshots(groupId: number, limit: number) {
    return this.views()
      .snapshots.filter((s) => s.group_definition_id === groupId && s.status === 'completed')
      .slice(0, limit);
  }

  async waitForDefinitionVersion(id: number, minVersion: number): Promise<boolean> {
    const view = this.views().definitions.find((d) => d.id === id);

    return view !== undefined && view.version >= minVersion;
  }

  async waitForRuleDefinitionVersion(id: number, minVersion: number): Promise<boolean> {
    const view = this.views().ruleDefinitions.find((d) => d.id === id);

    return view !== undefined && view.version >= minVersion;
  }
}

function slice<T>(items: T[], page: PageRequest): Page<T> {
  const start = (page.number - 1) * page.size;

  return { items: items.slice(start, start + page.size), total: items.length, page };
}

export class InMemoryHandleRegistry {
  readonly claims = new Map<string, HandleClaim>();

  async ensureCollection(): Promise<void> {}

  async find(handle: string) {
    return this.claims.get(handle) ?? null;
  }

  async insert(claim: HandleClaim) {
    if (this.claims.has(claim._id)) return false;
    this.claims.set(claim._id, claim);

    return true;
  }

  async replace(previous: HandleClaim, next: HandleClaim) {
    if (this.claims.get(previous._id)?.claim_id !== previous.claim_id) return false;
    this.claims.set(previous._id, next);

    return true;
  }

  async release(handle: string, ownerId: number) {
    if (this.claims.get(handle)?.owner_id === ownerId) this.claims.delete(handle);
  }
}

/** The evaluation worker's profile copy; tests put profiles in it as the worker would. */
export class InMemoryProfileStore {
  readonly profiles = new Map<string, ProfileRecord>();

  put(profileId: string, attributes: JsonObject, version = 1): void {
    this.profiles.set(profileId, {
      profile_id: profileId,
      version,
      attributes,
      updated_at: '2026-03-01T09:00:00.000Z',
    });
  }

  async get(profileId: string) {
    return this.profiles.get(profileId) ?? null;
  }

  async getMany(profileIds: readonly string[]) {
    return new Map(
      profileIds.flatMap((id) => {
        const found = this.profiles.get(id);

        return found ? [[id, found] as const] : [];
      }),
    );
  }

  async *scan(batchSize = 1000): AsyncGenerator<ProfileRecord[]> {
    const all = [...this.profiles.values()];
    for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize);
  }

  async count() {
    return this.profiles.size;
  }
}

/** The worker's connection copy; tests put connections in it as the worker would. */
export class InMemoryConnectionStore {
  readonly connections = new Map<string, ConnectionRecord>();

  put(
    record: Omit<ConnectionRecord, 'version' | 'updated_at'>,
    updatedAt = '2026-03-01T09:00:00.000Z',
  ): void {
    this.connections.set(JSON.stringify([record.profile_id, record.connected_profile_id]), {
      ...record,
      version: 1,
      updated_at: updatedAt,
    });
  }

  async lastChange(profileId: string, connectedProfileId: string) {
    const record = await this.find(profileId, connectedProfileId);

    return record === null ? null : { connection: record, at: record.updated_at };
  }

  async find(profileId: string, connectedProfileId: string) {
    return this.connections.get(JSON.stringify([profileId, connectedProfileId])) ?? null;
  }

  async connectionsOf(profileId: string) {
    return [...this.connections.values()].filter((c) => c.profile_id === profileId);
  }
}

export class InMemorySnapshotArchive {
  readonly runs = new Map<string, ProfileResult[]>();

  async results(snapshotId: string, filter: ResultFilter = {}) {
    return (this.runs.get(snapshotId) ?? []).filter(
      (result) =>
        (filter.included === undefined || result.included === filter.included) &&
        (filter.changed === undefined || result.changed === filter.changed),
    );
  }

  async resultFor(snapshotId: string, profileId: string) {
    return (this.runs.get(snapshotId) ?? []).find((r) => r.profile_id === profileId) ?? null;
  }
}

// ---------------------------------------------------------------------------------------
// In-process HTTP: a request goes through the real Express stack without any socket.

class CaptureSocket extends Duplex {
  readonly chunks: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  setTimeout(): this {
    return this;
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export interface CallOptions {
  body?: unknown;
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export function call(
  app: NestExpressApplication,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<Reply> {
  const handler = app.getHttpAdapter().getInstance() as (
    req: IncomingMessage,
    res: ServerResponse,
  ) => void;
  const payload =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const token = options.token === undefined ? 'local-dev-token' : options.token;
  const socket = new CaptureSocket();
  const req = new IncomingMessage(socket as never);
  req.method = method;
  req.url = url;
  req.headers = {
    host: 'groups.test',
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    ...(payload === undefined
      ? {}
      : {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
        }),
    ...Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
  };
  if (payload !== undefined) req.push(Buffer.from(payload));
  req.push(null);
  // Without it the finished request counts as aborted and tears the socket down.
  req.complete = true;
  const res = new ServerResponse(req);
  res.assignSocket(socket as never);

  return new Promise((resolve) => {
    res.on('finish', () => {
      const raw = Buffer.concat(socket.chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const text = raw.slice(split + 4);
      const headers = Object.fromEntries(
        Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)]),
      );
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      resolve({ status: res.statusCode, headers, body });
    });
    handler(req, res);
  });
}

// ---------------------------------------------------------------------------------------

export interface Harness {
  app: NestExpressApplication;
  store: InMemoryEventStore;
  handles: InMemoryHandleRegistry;
  ruleDefinitionHandles: InMemoryHandleRegistry;
  favouriteInstances: InMemoryHandleRegistry;
  profiles: InMemoryProfileStore;
  connections: InMemoryConnectionStore;
  snapshotResults: InMemorySnapshotArchive;
  logs: string[];
  clock: { now: Date };
}

export async function harness(
  env: Record<string, string> = {},
  health: HealthCheck[] = [],
): Promise<Harness> {
  const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
  const appClock = new Clock(() => clock.now);
  const config = loadCommandApiConfig(env);
  const store = new InMemoryEventStore(appClock, config.EVENT_MAX_BYTES);
  const handles = new InMemoryHandleRegistry();
  const ruleDefinitionHandles = new InMemoryHandleRegistry();
  const favouriteInstances = new InMemoryHandleRegistry();
  const profiles = new InMemoryProfileStore();
  const connections = new InMemoryConnectionStore();
  const snapshotResults = new InMemorySnapshotArchive();
  const logs: string[] = [];
  const app = await createCommandApi(config, {
    logger: new Logger('command-api', 'debug', (line) => logs.push(line)),
    clock: appClock,
    eventStore: store as unknown as EventStore,
    readModels: new InMemoryReadModels(store) as unknown as ReadModelQueries,
    handles: handles as unknown as HandleRegistry,
    ruleDefinitionHandles: ruleDefinitionHandles as unknown as HandleRegistry,
    favouriteInstances: favouriteInstances as unknown as HandleRegistry,
    profiles: profiles as unknown as ProfileStore,
    connections: connections as unknown as ConnectionStore,
    snapshotResults: snapshotResults as unknown as SnapshotArchive,
    healthChecks: health,
  });
  await app.init();

  return {
    app,
    store,
    handles,
    ruleDefinitionHandles,
    favouriteInstances,
    profiles,
    connections,
    snapshotResults,
    logs,
    clock,
  };
}

export const DEFINITIONS = '/api/v3/groups/definitions';
export const RULE_DEFINITIONS = '/api/v3/groups/rule-definitions';
