export const DEMO_DATA_ERROR_CODES = [
  'demo_data.invalid_seed',
  'demo_data.invalid_option',
  'demo_data.empty_choice',
  'demo_data.out_of_range',
  'demo_data.invalid_profile',
  'demo_data.invalid_connection',
] as const;
export type DemoDataErrorCode = (typeof DEMO_DATA_ERROR_CODES)[number];

/** A bad option or a profile the loader refuses to publish, with a stable code. */
export class DemoDataError extends Error {
  constructor(
    readonly code: DemoDataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DemoDataError';
  }
}
