import { describe, expect, it } from 'vitest';
import { defaultCampaignName, defaultPeriodLabel, questionOf } from './forms';

describe('survey form rules', () => {
  it('names the period of a form’s rhythm', () => {
    expect(defaultPeriodLabel('yearly', '2026-12-07')).toBe('2026');
    expect(defaultPeriodLabel('quarterly', '2026-12-07')).toBe('2026-Q4');
    expect(defaultPeriodLabel('quarterly', '2026-01-01')).toBe('2026-Q1');
    expect(defaultPeriodLabel('quarterly', '2026-06-30')).toBe('2026-Q2');
    expect(defaultPeriodLabel('once', '2026-03-15')).toBe('2026-03');
  });

  it('names a campaign after its form and period', () => {
    expect(defaultCampaignName(undefined, '2026')).toBe('2026 年度顾客满意度调查');
    expect(defaultCampaignName({ key: 'satisfaction', name: '顾客满意度调查表' }, '2026')).toBe(
      '2026 年度顾客满意度调查',
    );
    expect(defaultCampaignName({ key: 'opinion', name: '顾客意见征询表' }, '2026-Q4')).toBe(
      '2026 年第 4 季度顾客意见征询',
    );
    expect(defaultCampaignName({ key: 'opinion', name: '顾客意见征询表' }, '2026-11')).toBe(
      '2026-11 顾客意见征询',
    );
  });

  it('finds the question a server error is about', () => {
    const keys = new Set(['attitude', 'skill', 'overall']);
    const sent = [{ key: 'attitude' }, { key: 'skill' }, { key: 'overall' }];
    expect(questionOf('answers.skill', sent, keys)).toBe('skill');
    expect(questionOf('answers.1.level', sent, keys)).toBe('skill');
    expect(questionOf('answers.2', sent, keys)).toBe('overall');
    expect(questionOf('attitude', sent, keys)).toBe('attitude');
    expect(questionOf('answers.7.level', sent, keys)).toBeNull();
    expect(questionOf('answers.unknown', sent, keys)).toBeNull();
    expect(questionOf('answeredOn', sent, keys)).toBeNull();
  });
});
