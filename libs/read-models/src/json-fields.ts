/**
 * Free-form JSON (rules, arguments, meta) is stored as a JSON string next to the
 * scalar fields of a view: FerretDB cannot store arrays directly inside arrays or keys
 * starting with `$`, both common in JSONLogic. `query` is stored as `query_json`.
 */
export type Encoded<View, Field extends keyof View & string> = Omit<View, Field> & {
  [F in Field as `${F}_json`]: string;
};

export interface JsonFieldCodec<View, Field extends keyof View & string> {
  readonly fields: readonly Field[];
  encode(view: View): Encoded<View, Field>;
  decode(stored: Encoded<View, Field>): View;
}

/** The codec of a view whose `fields` hold free-form JSON. */
export function jsonFieldCodec<View extends object, Field extends keyof View & string>(
  fields: readonly Field[],
): JsonFieldCodec<View, Field> {
  return {
    fields,
    encode(view) {
      const stored: Record<string, unknown> = { ...(view as Record<string, unknown>) };
      for (const field of fields) {
        delete stored[field];
        stored[`${field}_json`] = JSON.stringify(view[field] ?? null);
      }

      return stored as Encoded<View, Field>;
    },
    decode(stored) {
      const view: Record<string, unknown> = { ...stored };
      for (const field of fields) {
        const text = view[`${field}_json`];
        delete view[`${field}_json`];
        view[field] = typeof text === 'string' ? JSON.parse(text) : null;
      }

      return view as View;
    },
  };
}
