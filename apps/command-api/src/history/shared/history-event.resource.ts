import { type EventEnvelope } from '@profile-groups/contracts';
import { type HistorySlice } from '@profile-groups/event-store';
import { type Page, type PageRequest } from '@profile-groups/read-models';

/**
 * One event as the audit trail shows it: what happened (`type`, `data`, with the
 * reason where there is one), to which stream and at which version, when, who did it
 * (`actor`: the API token's subject for API calls, `system:<decision>` for the worker's),
 * and why (`causation_id`: the event or request it followed from; `correlation_id`
 * ties together everything one request led to).
 */
export interface HistoryEventResource {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly stream_version: number;
  readonly time: string;
  readonly actor: string | null;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly data: unknown;
}

export function historyEventOf(event: EventEnvelope): HistoryEventResource {
  return {
    id: event.id,
    type: event.type,
    stream: event.stream,
    stream_version: event.stream_version,
    time: event.time,
    actor: event.actor,
    correlation_id: event.correlation_id,
    causation_id: event.causation_id,
    data: event.data,
  };
}

export function pageOfHistory(
  events: readonly EventEnvelope[],
  page: PageRequest,
): Page<HistoryEventResource> {
  const start = (page.number - 1) * page.size;

  return {
    items: events.slice(start, start + page.size).map(historyEventOf),
    total: events.length,
    page,
  };
}

/** Where a page starts in a history, and how many events it holds at most. */
export function sliceOf(page: PageRequest): { offset: number; limit: number } {
  return { offset: (page.number - 1) * page.size, limit: page.size };
}

export function pageOfSlice(slice: HistorySlice, page: PageRequest): Page<HistoryEventResource> {
  return { items: slice.events.map(historyEventOf), total: slice.total, page };
}
