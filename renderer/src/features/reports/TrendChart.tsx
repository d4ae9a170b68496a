import { useId, useState } from 'react';
import type { Trend } from '../../../../shared/api/contract';
import type { IndicatorMeasure } from '../../../../shared/domain/scorecard';
import { useFormatters, useLang, useT } from '../../i18n';

type Row = Trend['months'][number]['row'];
export type RateMeasure = Exclude<IndicatorMeasure, 'identityVerified'>;

const RATE: Record<RateMeasure, (row: Row) => number | null> = {
  digitized: (r) => r.digitizedRate,
  reused: (r) => r.reusedRate,
  resultsDigitized: (r) => r.resultsDigitizedRate,
  linkedToStore: (r) => r.linkedToStoreRate,
};

const isRateMeasure = (m: IndicatorMeasure): m is RateMeasure => m in RATE;

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };

/**
 * One indicator's rate per month as bars, with the line where it earns full points (80 %).
 * Hand-drawn SVG: no chart library, nothing from the network. Each bar is a button that lists the
 * month's dossiers the rate counts; the chart has a text alternative for screen readers.
 */
export function TrendChart({
  trend,
  onDrill,
}: {
  trend: Trend;
  onDrill: (month: Trend['months'][number], measure: RateMeasure) => void;
}) {
  const t = useT();
  const [lang] = useLang();
  const { percent } = useFormatters();
  const titleId = useId();
  const measured = trend.indicators.filter((i) => i.measured && isRateMeasure(i.measure));
  const [chosenId, setChosenId] = useState<string | null>(null);
  const indicator = measured.find((i) => i.id === chosenId) ?? measured.find((i) => i.measure === 'digitized');
  if (!indicator || !isRateMeasure(indicator.measure)) return null;
  const measure = indicator.measure;
  const rateOf = RATE[measure];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const yOf = (rate: number) => PAD.top + plotH * (1 - rate);
  const slot = plotW / Math.max(1, trend.months.length);
  const barW = Math.min(40, slot * 0.6);
  const name = lang === 'vi' ? indicator.nameVi : indicator.nameEn;
  const summary = trend.months
    .map((m) => `${m.month}: ${rateOf(m.row) === null ? t('reports.noDossiers') : percent(rateOf(m.row) ?? 0)}`)
    .join('; ');

  return (
    <figure className="reports-chart" data-testid="reports-trend">
      <div className="reports-chart__choices" role="radiogroup" aria-label={t('reports.trendIndicator')}>
        {measured.map((i) => (
          <label key={i.id} className="reports-chart__choice">
            <input
              type="radio"
              name={`${titleId}-indicator`}
              checked={i.id === indicator.id}
              onChange={() => setChosenId(i.id)}
              data-testid={`reports-trend-${i.measure}`}
            />{' '}
            {i.id} {lang === 'vi' ? i.nameVi : i.nameEn}
          </label>
        ))}
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="reports-chart__svg"
        role="group"
        aria-labelledby={titleId}
        data-testid="reports-trend-svg"
      >
        <title id={titleId}>{`${t('reports.trendTitle', { name })}. ${summary}`}</title>
        {[0, 0.2, 0.4, 0.6, 0.8, 1].map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={yOf(tick)} y2={yOf(tick)} className="reports-chart__grid" />
            <text x={PAD.left - 6} y={yOf(tick) + 4} textAnchor="end" className="reports-chart__label">
              {Math.round(tick * 100)} %
            </text>
          </g>
        ))}
        {trend.months.map((m, index) => {
          const rate = rateOf(m.row);
          const x = PAD.left + index * slot + (slot - barW) / 2;
          const label = `${m.month}: ${rate === null ? t('reports.noDossiers') : `${percent(rate)} (${m.row[measure]}/${m.row.received})`}`;
          return (
            <g
              key={m.month}
              role="button"
              tabIndex={0}
              aria-label={label}
              className="reports-chart__bar"
              data-testid={`reports-trend-bar-${m.month}`}
              onClick={() => onDrill(m, measure)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onDrill(m, measure);
                }
              }}
            >
              <title>{label}</title>
              {/* A transparent hit area the full height, so a 0 % month can be clicked too. */}
              <rect x={PAD.left + index * slot} y={PAD.top} width={slot} height={plotH} fill="transparent" />
              {rate !== null && rate > 0 ? (
                <rect
                  x={x}
                  y={yOf(rate)}
                  width={barW}
                  height={plotH * rate}
                  className={rate >= indicator.fullPointsAt ? 'reports-chart__fill--full' : 'reports-chart__fill'}
                />
              ) : null}
              <text x={x + barW / 2} y={HEIGHT - PAD.bottom + 14} textAnchor="middle" className="reports-chart__label">
                {`${m.month.slice(5, 7)}/${m.month.slice(2, 4)}`}
              </text>
            </g>
          );
        })}
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={yOf(indicator.fullPointsAt)}
          y2={yOf(indicator.fullPointsAt)}
          className="reports-chart__target"
          data-testid="reports-trend-target"
        />
        <text
          x={WIDTH - PAD.right}
          y={yOf(indicator.fullPointsAt) - 4}
          textAnchor="end"
          className="reports-chart__label reports-chart__label--target"
        >
          {t('reports.fullPointsAt', { rate: Math.round(indicator.fullPointsAt * 100) })}
        </text>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={yOf(0)} y2={yOf(0)} className="reports-chart__axis" />
      </svg>
      <figcaption className="muted small">{t('reports.trendCaption', { name })}</figcaption>
    </figure>
  );
}
