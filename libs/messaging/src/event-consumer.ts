import { checkEventData, type EventEnvelope, fromKafkaRecord } from '@profile-groups/contracts';
import { type Logger, withCorrelation } from '@profile-groups/observability';
import {
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';

import { cutDownCopy, type DeadLetterCopy, wholeCopy, withBoundedKey } from './dead-letter-copy';
import {
  backoffDelay,
  classifyFailure,
  type FailureVerdict,
  PermanentFailure,
  sizeRefusal,
} from './failures';
import { RestartBackoff, type RestartClock, SYSTEM_RESTART_CLOCK } from './restart-backoff';

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
  /**
   * First pause before restarting after a crash kafkajs gives up on; doubles, capped at
   * 30 s, until the consumer has made progress (see RestartBackoff).
   */
  readonly restartBaseMs?: number;
  /** Running this long without a crash also counts as progress; 60 s by default. */
  readonly restartResetAfterMs?: number;
  readonly restartClock?: RestartClock;
  /**
   * Largest record batch the dead-letter topic takes (its `max.message.bytes`); a
   * larger dead-letter copy is cut down to fit. Defaults to 1 MiB, below the broker's
   * default; a topic that takes less is found out from the broker's refusal.
   */
  readonly deadLetterMaxBytes?: number;
}

export interface ConsumerHealth {
  readonly running: boolean;
  readonly joined: boolean;
  /** The error of the crash that stopped consumption, until the group is joined again. */
  readonly crashed: string | null;
  /** True while a crashed consumer is being restarted (by kafkajs or by this class). */
  readonly restarting: boolean;
  /**
   * Restarts this class began in a row: since the consumer last committed past the
   * offset it crashed on, or ran `restartResetAfterMs` without crashing.
   */
  readonly restarts: number;
}

const DEFAULT_RESTART_BASE_MS = 1000;
const RESTART_CAP_MS = 30_000;
const DEFAULT_RESTART_RESET_AFTER_MS = 60_000;
const DEFAULT_DEAD_LETTER_MAX_BYTES = 1_048_576;

/**
 * Consumes events with explicit guarantees: an offset is committed only after the
 * handler's work is durable (or the message is safely in the dead-letter topic);
 * transient failures are retried with backoff and heartbeats; permanent ones and
 * exhausted retries go to the dead-letter topic with the reason in headers. A crash
 * that kafkajs does not restart from (a non-retriable error, such as the coordinator
 * forgetting a member that stalled past its session) is restarted here with backoff,
 * on a fresh kafkajs consumer, from the last committed offsets.
 */
export class EventConsumer {
  private consumer: Consumer | null = null;
  private producer: Producer;
  private running = false;
  private stopping = false;
  private joined = false;
  private crashed: string | null = null;
  private restarting = false;
  private readonly backoff: RestartBackoff;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventConsumerOptions,
    private readonly logger: Logger,
  ) {
    this.producer = this.createProducer();
    this.backoff = new RestartBackoff({
      baseMs: options.restartBaseMs ?? DEFAULT_RESTART_BASE_MS,
      capMs: RESTART_CAP_MS,
      healthyAfterMs: options.restartResetAfterMs ?? DEFAULT_RESTART_RESET_AFTER_MS,
      clock: options.restartClock ?? SYSTEM_RESTART_CLOCK,
    });
  }

  get health(): ConsumerHealth {
    return {
      running: this.running,
      joined: this.joined,
      crashed: this.crashed,
      restarting: this.restarting,
      restarts: this.backoff.restarts,
    };
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.producer.connect();
    await this.run(this.openConsumer());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.consumer?.disconnect();
    await this.producer.disconnect();
  }

  /** A kafkajs consumer whose events update this class's health; one per (re)start. */
  private openConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      // Kafka's default fetch wait (5 s on an idle partition) would add seconds of lag.
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    const { CRASH, GROUP_JOIN, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, () => {
      if (consumer !== this.consumer) return;
      this.joined = true;
      this.crashed = null;
      this.restarting = false;
      this.backoff.joined();
    });
    consumer.on(STOP, () => {
      if (consumer === this.consumer) this.joined = false;
    });
    consumer.on(CRASH, (event) => {
      const payload = event.payload as { error: Error; restart: boolean };
      if (consumer !== this.consumer) return;
      const restartedBy = payload.restart ? 'kafkajs' : this.stopping ? null : 'consumer';
      this.logger.error('consumer.crashed', {
        group_id: this.options.groupId,
        error: payload.error,
        restarted_by: restartedBy,
      });
      this.joined = false;
      this.crashed = payload.error.message;
      this.restarting = restartedBy !== null;
      if (restartedBy === 'consumer') this.scheduleRestart();
    });
    this.consumer = consumer;

    return consumer;
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /**
   * kafkajs has disconnected the crashed consumer and will not touch it again. A new
   * one rejoins the group; uncommitted messages are redelivered, which every handler
   * tolerates (at-least-once delivery).
   */
  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer !== null) return;
    const { restart, delayMs: delay } = this.backoff.next();
    this.logger.warn('consumer.restart_scheduled', {
      group_id: this.options.groupId,
      restart,
      delay_ms: delay,
    });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.restart();
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    const previous = this.consumer;
    try {
      await previous?.disconnect();
    } catch (error) {
      this.logger.debug('consumer.disconnect_failed', { group_id: this.options.groupId, error });
    }
    if (this.stopping) return;
    try {
      // A crash while joining reaches the CRASH listener, which schedules the next try.
      await this.run(this.openConsumer());
    } catch (error) {
      this.logger.error('consumer.restart_failed', {
        group_id: this.options.groupId,
        restart: this.backoff.restarts,
        error,
      });
      this.scheduleRestart();
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const owned = () => payload.isRunning() && !payload.isStale();
    const heartbeat = () => payload.heartbeat();
    let lastDone: string | null = null;
    let failing: string | null = null;
    try {
      for (const message of batch.messages) {
        if (!owned()) break;
        failing = message.offset;
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
      failing = lastDone;
      await this.options.afterBatch?.();
      const next = (BigInt(lastDone) + 1n).toString();
      // Through the batch's own consumer: after a restart, this.consumer is another one.
      await payload.commitOffsetsIfNecessary({
        topics: [
          { topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] },
        ],
      });
      this.backoff.committed(batch.topic, batch.partition, next);
    } catch (error) {
      if (failing !== null) {
        this.backoff.failedAt({ topic: batch.topic, partition: batch.partition, offset: failing });
      }
      throw error;
    }
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

  /**
   * Sends the message to the dead-letter topic: the whole record with `dlq_*` headers
   * when it fits, else a cut-down copy (see cutDownCopy). The limit is known from
   * `deadLetterMaxBytes`; when the broker refuses anyway (the topic's limit is lower),
   * the copy is cut to half the size until one is taken, down to the bare `dlq_*`
   * headers. Only a broker that refuses even those fails the message (and the batch).
   * A long key is replaced by its digest first (withBoundedKey).
   */
  private async deadLetter(
    message: KafkaMessage,
    context: MessageContext,
    verdict: FailureVerdict,
    attempts: number,
    event?: EventEnvelope,
  ): Promise<void> {
    const keyed = withBoundedKey(message);
    const dlqHeaders = {
      ...keyed.headers,
      dlq_reason: verdict.reason.slice(0, 1000),
      dlq_error_code: verdict.code,
      dlq_source_topic: context.topic,
      dlq_source_partition: String(context.partition),
      dlq_source_offset: context.offset,
      dlq_consumer_group: this.options.groupId,
      dlq_attempts: String(attempts),
      dlq_failed_at: new Date().toISOString(),
    };
    let limit = this.options.deadLetterMaxBytes ?? DEFAULT_DEAD_LETTER_MAX_BYTES;
    let copy = wholeCopy(keyed.message, dlqHeaders);
    if (copy.bytes > limit) copy = cutDownCopy(keyed.message, dlqHeaders, limit, 'over_limit');
    while (!(await this.sendDeadLetter(copy))) {
      if (copy.bare) {
        throw new Error(
          `the broker refused even a bare dead-letter copy of ${copy.bytes} bytes on ` +
            `${this.options.deadLetterTopic}: its max.message.bytes is too small`,
        );
      }
      limit = Math.floor(Math.min(limit, copy.bytes) / 2);
      copy = cutDownCopy(keyed.message, dlqHeaders, limit, 'broker_refused');
    }
    this.logger.error('consumer.dead_lettered', {
      group_id: this.options.groupId,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
      event_id: event?.id,
      event_type: event?.type,
      code: verdict.code,
      attempts,
      cut: copy.whole ? undefined : copy.headers.dlq_cut,
      bytes: copy.bytes,
    });
  }

  /** False when the broker refused the copy for its size; other failures are thrown. */
  private async sendDeadLetter(copy: DeadLetterCopy): Promise<boolean> {
    try {
      await this.producer.send({
        topic: this.options.deadLetterTopic,
        acks: -1,
        messages: [{ key: copy.key, value: copy.value, headers: { ...copy.headers } }],
      });

      return true;
    } catch (error) {
      const refusal = sizeRefusal(error);
      if (refusal === null) throw error;
      this.logger.warn('consumer.dead_letter_refused', {
        group_id: this.options.groupId,
        bytes: copy.bytes,
        refusal,
      });
      await this.renewProducer();

      return false;
    }
  }

  /**
   * A failed request leaves kafkajs's idempotent producer with sequence numbers the
   * broker may not expect; a new producer (a new producer id) starts afresh.
   */
  private async renewProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = this.createProducer();
    await previous.disconnect().catch(() => undefined);
    await this.producer.connect();
  }

  private createProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
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
