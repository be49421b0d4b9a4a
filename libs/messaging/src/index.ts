export * from './event-consumer';
export * from './event-publisher';
export * from './failures';
export * from './kafka-client';
export * from './kafka-event-transport';
export * from './restart-backoff';
