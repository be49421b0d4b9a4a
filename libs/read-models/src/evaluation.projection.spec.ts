import {
  type EnvelopeOf,
  type EvaluationEvent,
  type EvaluationTrigger,
  groupEvaluationStream,
} from '@profile-groups/contracts';

import {
  isSnapshotEvent,
  mergeRefreshState,
  projectRefreshState,
  projectSnapshot,
} from './projections';
import { type GroupDefinitionView, type RefreshStateView, type SnapshotView } from './views';

type EvaluationEnvelope = EnvelopeOf<EvaluationEvent>;

function at<E extends EvaluationEvent>(streamVersion: number, event: E): EvaluationEnvelope {
  return {
    id: `event-${streamVersion}`,
    type: event.type,
    schema_version: 1,
    stream: groupEvaluationStream(3),
    stream_version: streamVersion,
    time: '2026-05-01T00:00:00.000Z',
    correlation_id: 'corr',
    causation_id: null,
    actor: null,
    data: event.data,
  } as EvaluationEnvelope;
}

const requested = (v: number) =>
  at(v, {
    type: 'RefreshRequested',
    data: { group_definition_id: 3, requested_at: '2026-05-01T10:00:00.000Z' },
  });

const started = (v: number, snapshot = 'run-1') =>
  at(v, {
    type: 'RefreshStarted',
    data: {
      group_definition_id: 3,
      snapshot_id: snapshot,
      trigger: 'manual',
      started_at: '2026-05-01T10:00:01.000Z',
    },
  });

const failed = (v: number, snapshot = 'run-1') =>
  at(v, {
    type: 'RefreshFailed',
    data: {
      group_definition_id: 3,
      snapshot_id: snapshot,
      trigger: 'manual',
      error: 'profile store unavailable',
      failed_at: '2026-05-01T10:00:02.000Z',
    },
  });

const taken = (v: number, trigger: EvaluationTrigger = 'manual', snapshot = 'run-1') =>
  at(v, {
    type: 'SnapshotTaken',
    data: {
      group_definition_id: 3,
      snapshot_id: snapshot,
      trigger,
      started_at: '2026-05-01T10:00:01.000Z',
      finished_at: '2026-05-01T10:00:05.000Z',
      definition_version: 4,
      rule_versions: [
        { rule_id: 7, rule_version: 2, rule_definition_id: 1, rule_definition_version: 3 },
      ],
      counts: { evaluated: 100, included: 40, added: 5, removed: 1 },
      profile_versions_digest: 'sha256:abc',
      next_refresh_at: '2026-05-02T10:00:00.000Z',
    },
  });

function refresh(...events: EvaluationEnvelope[]): RefreshStateView | null {
  return events.reduce<RefreshStateView | null>(
    (view, event) => projectRefreshState(view, event) ?? view,
    null,
  );
}

function snapshot(...events: EvaluationEnvelope[]): SnapshotView | null {
  return events
    .filter(isSnapshotEvent)
    .reduce<SnapshotView | null>((view, event) => projectSnapshot(view, event) ?? view, null);
}

describe('projectRefreshState', () => {
  it('follows a manual refresh: queued, running, then idle with the run recorded', () => {
    expect(refresh(requested(1))).toEqual({
      _id: 3,
      group_definition_id: 3,
      refresh_status: 'queued',
      refresh_error: null,
      last_refreshed_at: null,
      next_refresh_at: null,
      version: 1,
    });
    expect(refresh(requested(1), started(2))?.refresh_status).toBe('running');
    expect(refresh(requested(1), started(2), taken(3))).toMatchObject({
      refresh_status: 'idle',
      refresh_error: null,
      last_refreshed_at: '2026-05-01T10:00:05.000Z',
      next_refresh_at: '2026-05-02T10:00:00.000Z',
      version: 3,
    });
  });

  it('records a failure with its error until a later run succeeds', () => {
    const failedRun = refresh(requested(1), started(2), failed(3));

    expect(failedRun).toMatchObject({
      refresh_status: 'failed',
      refresh_error: 'profile store unavailable',
    });
    expect(
      refresh(
        requested(1),
        started(2),
        failed(3),
        started(4, 'run-2'),
        taken(5, 'manual', 'run-2'),
      ),
    ).toMatchObject({ refresh_status: 'idle', refresh_error: null });
  });

  it('takes next_refresh_at from RefreshScheduled', () => {
    const scheduled = at(1, {
      type: 'RefreshScheduled',
      data: { group_definition_id: 3, next_refresh_at: '2026-05-03T00:00:00.000Z' },
    });

    expect(refresh(scheduled)).toMatchObject({
      refresh_status: 'idle',
      next_refresh_at: '2026-05-03T00:00:00.000Z',
    });
  });

  it.each(['profile_change', 'time'] as const)(
    'leaves the refresh state of a running refresh alone after a %s run',
    (trigger) => {
      const view = refresh(requested(1), started(2), taken(3, trigger, 'incremental'));

      expect(view).toMatchObject({
        refresh_status: 'running',
        last_refreshed_at: null,
        next_refresh_at: null,
        version: 3,
      });
    },
  );

  it('ignores an event the view already reflects', () => {
    const view = refresh(requested(1), started(2))!;

    expect(projectRefreshState(view, requested(1))).toBeNull();
    expect(projectRefreshState(view, started(2))).toBeNull();
  });
});

describe('mergeRefreshState', () => {
  const definition = { id: 3, version: 2 } as GroupDefinitionView;

  it('shows idle before the first evaluation event', () => {
    expect(mergeRefreshState(definition, null)).toEqual({
      id: 3,
      version: 2,
      refresh_status: 'idle',
      refresh_error: null,
      last_refreshed_at: null,
      next_refresh_at: null,
    });
  });

  it('keeps the definition version and takes the refresh fields', () => {
    const merged = mergeRefreshState(definition, refresh(requested(1), started(2), failed(3)));

    expect(merged).toMatchObject({ version: 2, refresh_status: 'failed' });
    expect(merged).not.toHaveProperty('group_definition_id');
  });
});

describe('projectSnapshot', () => {
  it('opens a run with RefreshStarted and completes it with SnapshotTaken', () => {
    expect(snapshot(requested(1), started(2))).toEqual({
      _id: 'run-1',
      id: 'run-1',
      group_definition_id: 3,
      trigger: 'manual',
      status: 'running',
      started_at: '2026-05-01T10:00:01.000Z',
      finished_at: null,
      error: null,
      counts: null,
      rule_versions: null,
      definition_version: null,
      profile_versions_digest: null,
      sequence: 2,
      stream_version: 2,
    });
    expect(snapshot(requested(1), started(2), taken(3))).toMatchObject({
      status: 'completed',
      finished_at: '2026-05-01T10:00:05.000Z',
      counts: { evaluated: 100, included: 40, added: 5, removed: 1 },
      definition_version: 4,
      profile_versions_digest: 'sha256:abc',
      sequence: 2,
      stream_version: 3,
    });
  });

  it('creates an incremental run directly from SnapshotTaken', () => {
    expect(snapshot(taken(6, 'profile_change', 'inc-1'))).toMatchObject({
      id: 'inc-1',
      trigger: 'profile_change',
      status: 'completed',
      started_at: '2026-05-01T10:00:01.000Z',
      sequence: 6,
    });
  });

  it('marks a run failed with its error and end time', () => {
    expect(snapshot(started(2), failed(3))).toMatchObject({
      status: 'failed',
      error: 'profile store unavailable',
      finished_at: '2026-05-01T10:00:02.000Z',
      counts: null,
    });
  });

  it('is not reopened by a redelivered RefreshStarted', () => {
    const done = snapshot(started(2), taken(3))!;

    expect(projectSnapshot(done, started(2) as never)).toBeNull();
    expect(projectSnapshot(done, taken(3) as never)).toBeNull();
  });
});
