import { describe, expect, it } from 'vitest';
import { activityLabel, startOfToday } from '../../../../renderer/chat/activity-label';

describe('activityLabel', () => {
  const now = new Date(2026, 2, 15, 14, 30);
  const today = startOfToday(now);

  it('shows the time for activity today and the date before', () => {
    const earlierToday = new Date(2026, 2, 15, 9, 5).toISOString();
    const lastWeek = new Date(2026, 2, 8, 23, 59).toISOString();
    expect(activityLabel(earlierToday, 'en-US', today)).toMatch(/^9:05\sAM$/);
    expect(activityLabel(lastWeek, 'en-US', today)).toBe('Mar 8');
    expect(activityLabel(lastWeek, 'zh-TW', today)).toBe('3月8日');
  });

  it('puts just-before-midnight and just-after-midnight on their own days', () => {
    expect(activityLabel(new Date(2026, 2, 14, 23, 59).toISOString(), 'en-US', today)).toBe('Mar 14');
    expect(activityLabel(new Date(2026, 2, 15, 0, 1).toISOString(), 'en-US', today)).toMatch(/^12:01\sAM$/);
  });

  it('is empty for a date it cannot read', () => {
    expect(activityLabel('not a date', 'en-US', today)).toBe('');
  });
});
