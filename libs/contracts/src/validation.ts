import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type ValidateFunction } from 'ajv';

import { EVENT_CATALOGUE, type EventType, isEventType } from './catalogue';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);

const validators = new Map<EventType, ValidateFunction>(
  Object.values(EVENT_CATALOGUE).map((spec) => [spec.type, ajv.compile(spec.schema)]),
);

export type EventDataCheck = { ok: true } | { ok: false; reason: string };

/** Checks an event's data against the published JSON Schema of its type and version. */
export function checkEventData(type: string, schemaVersion: number, data: unknown): EventDataCheck {
  if (!isEventType(type)) {
    return { ok: false, reason: `unknown event type ${type}` };
  }
  const spec = EVENT_CATALOGUE[type];
  if (spec.schemaVersion !== schemaVersion) {
    return { ok: false, reason: `unsupported schema version ${schemaVersion} of ${type}` };
  }
  const validate = validators.get(type);
  if (validate?.(data)) {
    return { ok: true };
  }

  return { ok: false, reason: ajv.errorsText(validate?.errors, { dataVar: 'data' }) };
}
