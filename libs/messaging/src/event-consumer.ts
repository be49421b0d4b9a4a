import { checkEventData, type EventEnvelope, fromKafkaRecord } from '@profile-groups/contracts';
import { type Logger, withCorrelation } from '@profile-groups/observability';
import { type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';

import { backoffDelay, classifyFailure, type FailureVerdict, PermanentFailure } from './failures';

export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Keeps the consumer's group membership alive; long handlers call it between steps. */
  readonly heartbeat: () => Promise<void>;
}

export type EventHandler = (event: EventEnvelope, context: MessageContext) => Promise<void>;

/** What to do with an event type: a handler, or `ignore` for types declared as not ours. */
export type Dispatch = (type: string) => EventHandler | 'ignore' | undefined;

export interface EventConsumerOptions {
  /** Used verbatim: no suffix is ever appended. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly dispatch: Dispatch;
  /** Runs after each batch's messages and before its offsets are committed. */
  readonly afterBatch?: () => Promise<void>;
  readonly fromBeginning?: boolean;
}

export interface ConsumerHealth {
  readonly running: boolean;
  readonly joined: boolean;
  readonly crashed: string | null;
}

/**
 * Consumes events with explicit guarantees: an offset is committed only after the
 * handler's work is durable (or the message is safely in the dead-letter topic);
 * transient failures are retried with backoff and heartbeats; permanent ones and
 * exhausted retries go to the dead-letter topic with the reason in headers.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly producer;
  private running = false;
  private joined = false;
  private crashed: string | null = null;

  constructor(
    kafka: Kafka,
    private readonly options: EventConsumerOptions,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      // Kafka's default fetch wait (5 s on an idle partition) would add seconds of lag.
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const { CRASH, GROUP_JOIN, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => {
      this.joined = true;
    });
    this.consumer.on(STOP, () => {
      this.joined = false;
    });
    this.consumer.on(CRASH, (event) => {
      const payload = event.payload as { error: Error; restart: boolean };
      this.logger.error('consumer.crashed', {
        group_id: options.groupId,
        error: payload.error,
        restarting: payload.restart,
      });
      if (!payload.restart) this.crashed = payload.error.message;
    });
  }

  get health(): ConsumerHealth {
    return { running: this.running, joined: this.joined, crashed: this.crashed };
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const owned = () => payload.isRunning() && !payload.isStale();
    const heartbeat = () => payload.heartbeat();
    let lastDone: string | null = null;
    for (const message of batch.messages) {
      if (!owned()) break;
      const context = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        heartbeat,
      };
      const completed = await this.handleMessage(message, context, heartbeat, owned);
      if (!completed) break;
      payload.resolveOffset(message.offset);
      lastDone = message.offset;
      await heartbeat();
    }
    if (lastDone === null) return;
    await this.options.afterBatch?.();
    await this.consumer.commitOffsets([
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: (BigInt(lastDone) + 1n).toString(),
      },
    ]);
  }

  /** Returns false when the consumer is stopping and the message must be redelivered. */
  private async handleMessage(
    message: KafkaMessage,
    context: MessageContext,
    heartbeat: () => Promise<void>,
    stillOwned: () => boolean,
  ): Promise<boolean> {
    let event: EventEnvelope;
    let handler: EventHandler;
    try {
      event = decode(message);
      const target = this.options.dispatch(event.type);
      if (target === 'ignore') return true;
      if (target === undefined) {
        throw new PermanentFailure(
          'event.unhandled_type',
          `no handler for event type ${event.type}`,
        );
      }
      handler = target;
    } catch (error) {
      await this.deadLetter(message, context, classifyFailure(error), 1);

      return true;
    }

    const correlation = {
      correlationId: event.correlation_id,
      causationId: event.id,
      actor: event.actor,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await withCorrelation(correlation, () => handler(event, context));

        return true;
      } catch (error) {
        const verdict = classifyFailure(error);
        if (!verdict.retriable || attempt >= this.options.maxAttempts) {
          await this.deadLetter(message, context, verdict, attempt, event);

          return true;
        }
        this.logger.debug('consumer.retrying', {
          group_id: this.options.groupId,
          event_id: event.id,
          event_type: event.type,
          attempt,
          code: verdict.code,
        });
        await heartbeat();
        await sleep(backoffDelay(attempt, this.options.retryBaseMs));
        if (!stillOwned()) return false;
      }
    }
  }

  private async deadLetter(
    message: KafkaMessage,
    context: MessageContext,
    verdict: FailureVerdict,
    attempts: number,
    event?: EventEnvelope,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    Object.assign(headers, {
      dlq_reason: verdict.reason.slice(0, 1000),
      dlq_error_code: verdict.code,
      dlq_source_topic: context.topic,
      dlq_source_partition: String(context.partition),
      dlq_source_offset: context.offset,
      dlq_consumer_group: this.options.groupId,
      dlq_attempts: String(attempts),
      dlq_failed_at: new Date().toISOString(),
    });
    await this.producer.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.logger.error('consumer.dead_lettered', {
      group_id: this.options.groupId,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
      event_id: event?.id,
      event_type: event?.type,
      code: verdict.code,
      attempts,
    });
  }
}

function decode(message: KafkaMessage): EventEnvelope {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    headers[name] = value === undefined ? undefined : String(value);
  }
  const event = fromKafkaRecord(
    headers,
    message.value === null ? null : message.value.toString('utf8'),
  );
  const check = checkEventData(event.type, event.schema_version, event.data);
  if (!check.ok) {
    throw new PermanentFailure('event.schema_violation', check.reason);
  }

  return event;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
