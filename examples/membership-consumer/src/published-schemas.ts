import fs from 'node:fs';
import path from 'node:path';

import { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Where this repository publishes the event schemas; an external consumer keeps a copy. */
export const DEFAULT_SCHEMAS_DIR = path.resolve(__dirname, '../../../docs/events');

/**
 * The published JSON Schemas (draft 2020-12), one per event type and version, found by
 * their `$id` (`urn:profile-groups:events:<Type>:v<n>`), which every record names in
 * its `ce_dataschema` header.
 */
export class PublishedSchemas {
  private constructor(private readonly validators: Map<string, ValidateFunction>) {}

  static load(dir = DEFAULT_SCHEMAS_DIR): PublishedSchemas {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validators = new Map<string, ValidateFunction>();
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.schema.json'))) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<
        string,
        unknown
      >;
      if (typeof schema.$id !== 'string') throw new Error(`${file} has no $id`);
      validators.set(schema.$id, ajv.compile(schema));
    }
    if (validators.size === 0) throw new Error(`no *.schema.json in ${dir}`);

    return new PublishedSchemas(validators);
  }

  /** Why `data` does not fit the schema the record names, or null if it does. */
  problem(type: string, dataschema: string, data: unknown): string | null {
    const validate = this.validators.get(dataschema);
    if (validate === undefined) return `unknown schema ${dataschema}`;
    // A record must not claim one type and name another type's schema.
    if ((validate.schema as { title?: unknown }).title !== type) {
      return `schema ${dataschema} is not the schema of ${type}`;
    }
    if (validate(data)) return null;

    return (validate.errors ?? [])
      .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
      .join('; ');
  }
}
