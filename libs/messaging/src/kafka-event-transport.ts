import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import {
  EVENT_CATALOGUE,
  type EventEnvelope,
  type EventType,
  topicName,
  type TopicKey,
} from '@profile-groups/contracts';
import { type Logger } from '@profile-groups/observability';
import { type Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';

import {
  EventConsumer,
  type EventConsumerOptions,
  type EventHandler,
  type MessageContext,
} from './event-consumer';

export interface KafkaEventTransportOptions
  extends Omit<EventConsumerOptions, 'dispatch' | 'topics' | 'deadLetterTopic'> {
  readonly topicPrefix: string;
  readonly topics: readonly TopicKey[];
  /** Types carried on those topics that this consumer deliberately does not handle. */
  readonly ignoredTypes: readonly EventType[];
}

/**
 * Nest microservice transport over our EventConsumer: `@EventPattern('MemberAdded')`
 * handlers receive the envelope. Unlike Nest's stock Kafka transport, a handler error
 * is never swallowed with a committed offset, and every event type on a subscribed
 * topic must be handled or declared ignored, or the app refuses to start.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer: EventConsumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly transportOptions: KafkaEventTransportOptions,
    private readonly log: Logger,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      this.consumer = new EventConsumer(this.kafka, this.consumerOptions(), this.log);
    } catch (error) {
      callback(error);

      return;
    }
    // The consumer runs for the life of the process; start errors surface in health.
    this.consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  get health(): EventConsumer['health'] | null {
    return this.consumer?.health ?? null;
  }

  on(): never {
    throw new Error('KafkaEventTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private consumerOptions(): EventConsumerOptions {
    const { topicPrefix, topics, ignoredTypes, ...rest } = this.transportOptions;
    const carried = Object.values(EVENT_CATALOGUE)
      .filter((spec) => topics.includes(spec.topic))
      .map((spec) => spec.type);
    const unaccounted = carried.filter(
      (type) => !this.messageHandlers.has(type) && !ignoredTypes.includes(type),
    );
    if (unaccounted.length > 0) {
      throw new Error(
        `Consumer ${rest.groupId} neither handles nor ignores: ${unaccounted.join(', ')}`,
      );
    }
    const handlers = new Map<string, EventHandler>();
    for (const [pattern, handler] of this.messageHandlers) {
      handlers.set(pattern, async (event: EventEnvelope, context: MessageContext) => {
        const result = this.transformToObservable(await handler(event, context));
        await lastValueFrom(result, { defaultValue: undefined });
      });
    }

    return {
      ...rest,
      topics: topics.map((topic) => topicName(topicPrefix, topic)),
      deadLetterTopic: topicName(topicPrefix, 'deadLetter'),
      dispatch: (type) =>
        handlers.get(type) ??
        ((ignoredTypes as readonly string[]).includes(type) ? 'ignore' : undefined),
    };
  }
}
