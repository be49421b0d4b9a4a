export const PLATFORM = Symbol('Platform');
export const TRANSPORTS = Symbol('KafkaEventTransports');
export const SCHEDULER = Symbol('ExpiryScheduler');
