import { type GroupDefinitionState } from '@profile-groups/domain';
import { addPeriod } from '@profile-groups/domain';

/**
 * The next scheduled refresh after a run that started at `lastStart`: one
 * `refresh_period` later, unless that passes `refresh_absolute_expiry` (then none).
 */
export function nextRefreshAt(state: GroupDefinitionState, lastStart: Date): Date | null {
  const { refresh_period, refresh_period_type, refresh_absolute_expiry } = state.attributes;
  if (refresh_period === null || refresh_period_type === null) return null;
  const next = addPeriod(lastStart, refresh_period, refresh_period_type);
  if (refresh_absolute_expiry !== null && next.getTime() > Date.parse(refresh_absolute_expiry)) {
    return null;
  }

  return next;
}
