import { type Consumer, type EachBatchPayload, Kafka, type KafkaMessage, logLevel } from 'kafkajs';

import { decodeRecord } from './cloudevent-record';
import {
  type ApplyOutcome,
  applyMembershipEvent,
  type MembershipEvent,
  type MembershipTable,
} from './membership-table';
import { type PublishedSchemas } from './published-schemas';
import { loadTable, saveTable } from './table-file';

export interface MembershipConsumerOptions {
  readonly brokers: readonly string[];
  /** `<prefix>memberships`, e.g. `profile-groups.memberships`. */
  readonly topic: string;
  /** A group of its own: a new id replays the topic from the beginning. */
  readonly groupId: string;
  readonly tableFile: string;
  readonly schemas: PublishedSchemas;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface ConsumerStats {
  received: number;
  applied: number;
  duplicates: number;
  /** Records that are not valid events: logged and skipped. */
  rejected: number;
  /** Valid events of types this consumer does not keep. */
  ignored: number;
  /** Applied, but the contract says they cannot happen: gaps, conflicts, out of turn. */
  anomalies: number;
}

const HANDLED_TYPES = new Set(['MemberAdded', 'MemberRemoved']);

/**
 * Keeps a membership table from the memberships topic. At least once: the table is
 * saved after each batch and only then are the batch's offsets committed, so a crash
 * or a rebalance redelivers what was not saved, and the per-pair stream version drops
 * what was. Partitions are consumed one at a time, so the table has a single writer.
 */
export class MembershipConsumer {
  readonly stats: ConsumerStats = {
    received: 0,
    applied: 0,
    duplicates: 0,
    rejected: 0,
    ignored: 0,
    anomalies: 0,
  };
  private readonly consumer: Consumer;
  private readonly log: (message: string, fields: Record<string, unknown>) => void;
  private table: MembershipTable | null = null;

  constructor(private readonly options: MembershipConsumerOptions) {
    const kafka = new Kafka({
      clientId: options.groupId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
    });
    // Without a shorter fetch wait an idle partition answers only every 5 seconds.
    this.consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 200 });
    this.log = options.log ?? (() => undefined);
  }

  private batchesInFlight = 0;

  /** The table as applied so far (saved up to the last completed batch). */
  get current(): MembershipTable {
    if (this.table === null) throw new Error('start() first');

    return this.table;
  }

  async start(): Promise<void> {
    this.table = await loadTable(this.options.tableFile);
    await this.consumer.connect();
    // Applies only while the group has no committed offset: a new group starts at the
    // oldest record the topic still holds.
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** Whether a batch is being applied, saved and committed right now. */
  get busy(): boolean {
    return this.batchesInFlight > 0;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    this.batchesInFlight++;
    try {
      await this.applyBatch(payload);
    } finally {
      this.batchesInFlight--;
    }
  }

  private async applyBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    let last: string | null = null;
    let changed = false;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      changed = this.handleMessage(batch.partition, message) || changed;
      payload.resolveOffset(message.offset);
      last = message.offset;
      await payload.heartbeat();
    }
    if (last === null) return;
    if (changed) await saveTable(this.options.tableFile, this.current);
    await this.consumer.commitOffsets([
      {
        topic: batch.topic,
        partition: batch.partition,
        offset: (BigInt(last) + 1n).toString(),
      },
    ]);
  }

  /** Returns whether the table changed. */
  private handleMessage(partition: number, message: KafkaMessage): boolean {
    this.stats.received++;
    const where = { partition, offset: message.offset };
    let event: MembershipEvent;
    try {
      const record = decodeRecord(message.headers, message.value);
      if (!HANDLED_TYPES.has(record.type)) {
        this.stats.ignored++;

        return false;
      }
      const problem = this.options.schemas.problem(record.type, record.dataschema, record.data);
      if (problem !== null) throw new Error(`${record.type} ${record.id}: ${problem}`);
      event = {
        id: record.id,
        type: record.type,
        streamVersion: record.streamVersion,
        data: record.data,
      } as MembershipEvent;
    } catch (error) {
      // A consumer of its own could forward the record to a dead-letter topic here.
      this.stats.rejected++;
      this.log('membership.rejected', { ...where, error: (error as Error).message });

      return false;
    }

    const outcome: ApplyOutcome = applyMembershipEvent(this.current, event);
    const fields = {
      ...where,
      event_id: event.id,
      type: event.type,
      group_definition_id: event.data.group_definition_id,
      stream_version: event.streamVersion,
      outcome,
    };
    switch (outcome) {
      case 'applied':
        this.stats.applied++;
        this.log('membership.applied', fields);

        return true;
      case 'duplicate':
        this.stats.duplicates++;
        this.log('membership.duplicate_dropped', fields);

        return false;
      case 'conflict':
        this.stats.anomalies++;
        this.log('membership.conflict_dropped', fields);

        return false;
      case 'gap':
      case 'out_of_turn':
        this.stats.applied++;
        this.stats.anomalies++;
        this.log('membership.applied_with_anomaly', fields);

        return true;
      default: {
        const unknown: never = outcome;
        throw new Error(`unhandled outcome ${String(unknown)}`);
      }
    }
  }
}
