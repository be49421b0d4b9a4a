import { type ValidationArguments } from 'class-validator';

/** A class-validator message naming the field: `said('The :field field must be text.')`. */
export function said(template: string): (args: ValidationArguments) => string {
  return (args) => template.replace(':field', args.property);
}
