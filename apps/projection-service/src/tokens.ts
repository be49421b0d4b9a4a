export const PLATFORM = Symbol('Platform');
export const TRANSPORT = Symbol('KafkaEventTransport');
export const RELAY = Symbol('OutboxRelay');
