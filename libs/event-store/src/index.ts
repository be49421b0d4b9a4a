export * from './event-size-guard';
export * from './event-store';
export * from './event-store.errors';
export * from './mongo-errors';
export * from './outbox-relay';
export * from './stored-commit';
export * from './decide-and-append';
export * from './conflict-retry';
