import { Flex, Progress, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { SurveyCampaign, SurveyTemplate } from '../../../common/schemas/surveys';
import {
  SURVEY_CAMPAIGN_STATUS_LABELS,
  SURVEY_LEVEL_LABELS,
  type SurveyCampaignStatus,
  type SurveyLevel,
} from '../../../common/surveys';
import { errorText } from '../../api/client';
import { surveysApi } from '../../api/surveys';
import { useLabel, useT } from '../../i18n';

// What the survey pages share: the status and level tags, the progress of a campaign, the index
// as a number coloured against the campaign's threshold, and loading a template version.

export const LEVEL_COLORS: Record<SurveyLevel, string> = {
  very_satisfied: '#389e0d',
  satisfied: '#95de64',
  average: '#faad14',
  poor: '#cf1322',
};

const STATUS_COLORS: Record<SurveyCampaignStatus, string> = {
  draft: 'default',
  running: 'processing',
  closed: 'success',
};

export function CampaignStatusTag({ status }: { status: SurveyCampaignStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="campaign-status">
      {label(SURVEY_CAMPAIGN_STATUS_LABELS[status])}
    </Tag>
  );
}

export function LevelTag({ level }: { level: SurveyLevel | null }) {
  const label = useLabel();
  if (!level) return <span>—</span>;
  const color = { very_satisfied: 'green', satisfied: 'lime', average: 'gold', poor: 'red' }[level];
  return <Tag color={color}>{label(SURVEY_LEVEL_LABELS[level])}</Tag>;
}

/** The satisfaction index (0–100, one decimal); red below the campaign's threshold. */
export function IndexValue({ value, low }: { value: number | null | undefined; low?: number }) {
  const t = useT();
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const isLow = low !== undefined && value < low;
  return (
    <Tooltip title={isLow ? t('surveys.index.belowThreshold', { low }) : undefined}>
      <Typography.Text strong type={isLow ? 'danger' : undefined} data-testid="survey-index">
        {value.toFixed(1)}
      </Typography.Text>
    </Tooltip>
  );
}

export const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/** 已发送 / 已答复 / 邀请数 with a bar: blue for sent, green for answered. */
export function CampaignProgress({
  progress,
  compact = false,
}: {
  progress: SurveyCampaign['progress'];
  compact?: boolean;
}) {
  const t = useT();
  const { invited, sent, answered } = progress;
  const text = t('surveys.progress.line', { sent, answered, invited });
  return (
    <Flex vertical gap={0} style={{ minWidth: compact ? 160 : 220 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {text}
      </Typography.Text>
      <Progress
        percent={ratio(Math.max(sent, answered), invited)}
        success={{ percent: ratio(answered, invited) }}
        size="small"
        format={() => `${ratio(answered, invited)}%`}
        aria-label={`${text}，${t('surveys.progress.rate', { rate: ratio(answered, invited) })}`}
      />
    </Flex>
  );
}

/** One template version, loaded once per id (a campaign keeps its version). */
const cache = new Map<string, Promise<SurveyTemplate>>();
export function loadTemplate(id: string): Promise<SurveyTemplate> {
  let p = cache.get(id);
  if (!p) {
    p = surveysApi.template(id);
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}

export function useTemplate(id: string | null | undefined) {
  const [template, setTemplate] = useState<SurveyTemplate | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setTemplate(null);
    setError(null);
    if (!id) return;
    loadTemplate(id)
      .then((x) => live && setTemplate(x))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id]);
  return { template, error };
}

export const orDash = (s: string | null | undefined) => (s?.trim() ? s : '—');
