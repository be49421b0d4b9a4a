/** Building blocks shared by the JSON Schemas of the event catalogue (draft 2020-12). */
export const timestamp = { type: 'string', format: 'date-time' } as const;
export const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableString = { type: ['string', 'null'] } as const;
export const nullableObject = { type: ['object', 'null'] } as const;
export const groupDefinitionId = { type: 'integer', minimum: 1 } as const;
export const profileId = { type: 'string', minLength: 1, maxLength: 128 } as const;

export function objectSchema(
  title: string,
  properties: Record<string, unknown>,
  required: string[] = Object.keys(properties),
): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}

/** A nested object with exactly these properties, all required unless told otherwise. */
export function closedObject(
  properties: Record<string, unknown>,
  required: string[] = Object.keys(properties),
): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}
