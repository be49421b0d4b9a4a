import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface CorrelationContext {
  readonly correlationId: string;
  /** The event or request that caused the current work, when known. */
  readonly causationId: string | null;
  readonly actor: string | null;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** Runs `work` with a correlation context that every log line and event inside picks up. */
export function withCorrelation<T>(context: CorrelationContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}
