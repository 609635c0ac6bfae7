import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { EChart } from '../../components/EChart';
import { formatFen } from '../../format';
import { useT } from '../../i18n/I18nProvider';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** One channel's day: orders placed, orders paid (or beyond) and their GMV in fen. */
export interface ChannelDay {
  channel: string;
  orders: number;
  paidOrders: number;
  gmv: number;
}

/** Today's GMV (bars, left axis in ¥) and orders (bars, right axis) per channel. */
export default function ChannelChart({ rows }: { rows: ChannelDay[] }) {
  const t = useT();
  const option = useMemo(() => {
    const labels = rows.map((r) => t(`channel.${r.channel}` as 'channel.online'));
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (
          items: { seriesIndex: number; dataIndex: number; marker: string; seriesName: string }[],
        ) => {
          const index = items[0]?.dataIndex ?? 0;
          const row = rows[index];
          if (!row) return '';
          return [
            labels[index],
            ...items.map(
              (item) =>
                `${item.marker}${item.seriesName}: ${item.seriesIndex === 0 ? formatFen(row.gmv) : row.orders}`,
            ),
          ].join('<br/>');
        },
      },
      legend: { top: 0 },
      grid: { left: 64, right: 40, top: 36, bottom: 32 },
      // Every channel named: ECharts would drop every other label when English names do not fit.
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { interval: 0, hideOverlap: false, rotate: labels.some((l) => l.length > 8) ? 20 : 0 },
      },
      yAxis: [
        { type: 'value', name: '¥', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
        { type: 'value', name: t('dashboard.orders'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'GMV',
          type: 'bar',
          // The axis is in yuan for reading; the figures themselves stay fen until shown.
          data: rows.map((r) => r.gmv / 100),
          color: '#1f4e79',
        },
        {
          name: t('dashboard.orders'),
          type: 'bar',
          yAxisIndex: 1,
          data: rows.map((r) => r.orders),
          color: '#faad14',
        },
      ],
    };
  }, [rows, t]);

  return <EChart option={option} height={300} testId="channel-chart" />;
}
