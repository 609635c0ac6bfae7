import { type EChartsCoreOption, init } from 'echarts/core';
import { useEffect, useRef } from 'react';

/**
 * One ECharts canvas that draws its option (replacing the last, not merged with it) and follows the window's size.
 * Each chart registers the ECharts pieces it draws (`use([...])`) in its own module, so that a page loads only those.
 */
export function EChart({
  option,
  height,
  testId,
}: {
  option: EChartsCoreOption;
  height: number;
  testId: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init>>(undefined);
  useEffect(() => {
    if (!element.current) return;
    const instance = init(element.current);
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}
