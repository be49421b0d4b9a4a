export * from './catalogue';
export * from './cloudevents';
export * from './envelope';
export * from './events/group-definition.events';
export * from './events/membership.events';
export * from './streams';
export * from './topics';
export * from './validation';
