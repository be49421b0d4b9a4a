import { type PeriodType } from '@profile-groups/contracts';

/**
 * Adds a calendar period in UTC. Months and years keep the day of month where it
 * exists and otherwise clamp to the month's last day (31 Jan + 1 month = 28/29 Feb).
 */
export function addPeriod(from: Date, amount: number, unit: PeriodType): Date {
  const result = new Date(from.getTime());
  switch (unit) {
    case 'minutes':
      return new Date(from.getTime() + amount * 60_000);
    case 'hours':
      return new Date(from.getTime() + amount * 3_600_000);
    case 'days':
      return new Date(from.getTime() + amount * 86_400_000);
    case 'weeks':
      return new Date(from.getTime() + amount * 7 * 86_400_000);
    case 'months':
      return addMonths(result, amount);
    case 'years':
      return addMonths(result, amount * 12);
    default: {
      const unreachable: never = unit;
      throw new Error(`Unknown period type ${String(unreachable)}`);
    }
  }
}

function addMonths(date: Date, months: number): Date {
  const day = date.getUTCDate();
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));

  return target;
}
