import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import type { StockLevel } from '../../api/types';
import { EChart } from '../../components/EChart';
import { useT } from '../../i18n/I18nProvider';

// Only the pieces drawn here: ECharts is loaded with this chunk, on the pages that show a chart.
use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Available, reserved and safety stock per location, stacked to on hand. */
export default function StockChart({
  levels,
  names,
}: {
  levels: StockLevel[];
  names: Record<string, string>;
}) {
  const t = useT();
  const option = useMemo(() => {
    const sorted = [...levels].sort((a, b) => a.location.localeCompare(b.location));
    const held = (l: StockLevel) => Math.max(0, l.onHand - l.reserved - l.available);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 48 },
      xAxis: {
        type: 'category',
        data: sorted.map((l) => l.location),
        axisLabel: {
          rotate: 30,
          formatter: (code: string) => (names[code] ? `${code}\n${names[code]}` : code),
        },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('inventory.available'),
          type: 'bar',
          stack: 'on',
          data: sorted.map((l) => l.available),
          color: '#1f4e79',
        },
        {
          name: t('inventory.reserved'),
          type: 'bar',
          stack: 'on',
          data: sorted.map((l) => l.reserved),
          color: '#faad14',
        },
        { name: t('inventory.safety'), type: 'bar', stack: 'on', data: sorted.map(held), color: '#bfbfbf' },
      ],
    };
  }, [levels, names, t]);

  return <EChart option={option} height={280} testId="stock-chart" />;
}
