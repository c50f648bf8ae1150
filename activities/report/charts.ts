import * as echarts from 'echarts';
import { DateTime } from 'luxon';
import { dec } from '../../domain/decimal.ts';
import type { PeriodCategory } from '../../domain/tariff.ts';
import { billComponents } from './format.ts';
import type { ReportInput } from './input.ts';

/** Tariff period colours, light enough to sit behind bars and lines. */
export const CATEGORY_COLOURS: Record<PeriodCategory, string> = {
  'off-peak': '#dcefdc',
  'mid-peak': '#fbf0c8',
  'on-peak': '#fbdcc0',
  critical: '#f6c4c4',
};
const FUEL_COLOURS = { electricity: '#2f6fb5', natural_gas: '#d9822b', propane: '#8a5a9e' } as const;
const FONT = { fontFamily: 'DejaVu Sans', color: '#333' };

/** Renders one chart to SVG without a browser (ECharts server-side rendering, no animation). */
function renderSvg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: FONT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The horizon on a value axis in hours from its start, labelled in site time (clock-free, DST-correct). */
function hoursAxis({ problem }: ReportInput): echarts.XAXisComponentOption {
  const { grid } = problem;
  const hours = (grid.slotCount * grid.slotMinutes) / 60;
  const startMs = Date.parse(grid.startUtc);
  const multiDay = hours > 25;
  return {
    type: 'value',
    min: 0,
    max: hours,
    interval: multiDay ? 12 : 2,
    axisLabel: {
      fontSize: 9,
      formatter: (h: number) =>
        DateTime.fromMillis(startMs + h * 3_600_000, { zone: grid.timeZone }).toFormat(multiDay ? 'ccc HH:mm' : 'HH:mm'),
    },
    splitLine: { lineStyle: { color: '#e6e6e6' } },
  };
}

/** Contiguous stretches of one tariff category, as mark-area bands in hours. */
function tariffBands({ problem }: ReportInput, labelled: boolean) {
  const h = problem.grid.slotMinutes / 60;
  const bands: { category: PeriodCategory; from: number; to: number }[] = [];
  for (const s of problem.slots) {
    const last = bands.at(-1);
    if (last?.category === s.category) last.to = (s.slot + 1) * h;
    else bands.push({ category: s.category, from: s.slot * h, to: (s.slot + 1) * h });
  }
  return {
    silent: true,
    label: { show: labelled, position: 'insideTop' as const, fontSize: 8, color: '#666' },
    data: bands.map((b) => [{ xAxis: b.from, name: b.category, itemStyle: { color: CATEGORY_COLOURS[b.category] } }, { xAxis: b.to }]),
  } as echarts.MarkAreaComponentOption;
}

/** Heaters over the horizon: each run a bar labelled with its job, maintenance hatched grey, tariff periods behind. */
export function ganttSvg(input: ReportInput, width: number, height: number): string {
  const { problem, plan } = input;
  const h = problem.grid.slotMinutes / 60;
  const startMs = Date.parse(problem.grid.startUtc);
  const row = new Map(problem.equipment.map((e, i) => [e.id, i]));
  const fuel = new Map(problem.equipment.map((e) => [e.id, e.fuelType]));
  const runs = plan.assignments.map((a) => ({
    value: [row.get(a.equipmentId)!, a.startSlot * h, a.endSlot * h, a.jobId],
    itemStyle: { color: FUEL_COLOURS[fuel.get(a.equipmentId)!] },
  }));
  const hoursOf = (iso: string) => (Date.parse(iso) - startMs) / 3_600_000;
  const down = problem.equipment.flatMap((e) =>
    e.unavailability.map((w) => ({ value: [row.get(e.id)!, hoursOf(w.start), hoursOf(w.end), w.reason], itemStyle: { color: '#bdbdbd' } })),
  );
  return renderSvg(
    {
      grid: { left: 150, right: 16, top: 16, bottom: 28 },
      xAxis: hoursAxis(input),
      yAxis: {
        type: 'category',
        inverse: true,
        data: problem.equipment.map((e) => `${e.id} ${e.name}`),
        axisLabel: { fontSize: 9, width: 140, overflow: 'truncate' },
      },
      series: [
        { type: 'custom', renderItem: barItem, encode: { x: [1, 2], y: 0 }, data: down, markArea: tariffBands(input, false) },
        { type: 'custom', renderItem: barItem, encode: { x: [1, 2], y: 0 }, data: runs },
      ],
    },
    width,
    height,
  );
}

/** One bar of the Gantt: from value 1 to value 2 on row value 0, with its label inside when it fits. */
const barItem: echarts.CustomSeriesRenderItem = (params, api) => {
  const from = api.coord([api.value(1), api.value(0)]);
  const to = api.coord([api.value(2), api.value(0)]);
  const height = (api.size!([0, 1]) as number[])[1] * 0.6;
  const width = Math.max(1, to[0] - from[0]);
  const label = String(api.value(3));
  const fits = width > label.length * 4.6 + 4;
  return {
    type: 'group',
    children: [
      {
        type: 'rect',
        shape: { x: from[0], y: from[1] - height / 2, width, height },
        style: { fill: api.visual('color') as string, stroke: '#ffffff', lineWidth: 1 },
      },
      ...(fits
        ? [
            {
              type: 'text' as const,
              style: { text: label, x: from[0] + 2, y: from[1] - 4, fill: '#fff', fontSize: 7, fontFamily: FONT.fontFamily },
            },
          ]
        : []),
    ],
  };
};

/** Site load of the plan and of the baseline per slot, against the tariff periods and the contractual limit. */
export function loadProfileSvg(input: ReportInput, width: number, height: number): string {
  const { problem, cost } = input;
  const h = problem.grid.slotMinutes / 60;
  const steps = (kw: string[]) => [...kw.map((x, t) => [t * h, Number(x)]), [kw.length * h, Number(kw.at(-1) ?? 0)]];
  const limit = problem.settings.peakLimitKw;
  const top = Math.max(limit ?? 0, Number(cost.baseline.totals.peakKw), Number(cost.optimized.totals.peakKw));
  return renderSvg(
    {
      grid: { left: 56, right: 16, top: 20, bottom: 52 },
      legend: { bottom: 0, textStyle: { fontSize: 9 }, itemWidth: 18, itemGap: 40 },
      xAxis: hoursAxis(input),
      yAxis: {
        type: 'value',
        name: 'kW',
        max: Math.ceil((top * 1.1) / 50) * 50,
        nameTextStyle: { fontSize: 9 },
        axisLabel: { fontSize: 9 },
      },
      series: [
        {
          name: 'First-come-first-served',
          type: 'line',
          step: 'end',
          symbol: 'none',
          data: steps(cost.baseline.loadProfileKw),
          lineStyle: { color: '#8c8c8c', type: 'dashed', width: 1.5 },
          itemStyle: { color: '#8c8c8c' },
          markArea: tariffBands(input, problem.grid.slotCount * problem.grid.slotMinutes <= 25 * 60),
        },
        {
          name: 'Plan',
          type: 'line',
          step: 'end',
          symbol: 'none',
          data: steps(cost.optimized.loadProfileKw),
          lineStyle: { color: FUEL_COLOURS.electricity, width: 2 },
          itemStyle: { color: FUEL_COLOURS.electricity },
          markLine:
            limit === undefined
              ? undefined
              : {
                  symbol: 'none',
                  silent: true,
                  data: [{ yAxis: limit, name: 'Contractual limit' }],
                  lineStyle: { color: '#c0392b', type: 'solid', width: 1.5 },
                  label: { formatter: `contractual limit ${limit} kW`, position: 'insideEndBottom', fontSize: 9, color: '#c0392b' },
                },
        },
      ],
    },
    width,
    height,
  );
}

/** The bill of both plans side by side, component by component. */
export function costBarsSvg(input: ReportInput, width: number, height: number): string {
  const { cost } = input;
  const parts = billComponents(cost.optimized.totals, cost.baseline.totals);
  const values = (t: (typeof cost)['optimized']['totals']) => parts.map(([, key]) => Number(dec(t[key]).toFixed(2)));
  return renderSvg(
    {
      grid: { left: 110, right: 24, top: 8, bottom: 40 },
      legend: { bottom: 0, textStyle: { fontSize: 9 }, itemWidth: 14, itemGap: 40 },
      xAxis: { type: 'value', name: cost.currency, nameTextStyle: { fontSize: 9 }, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'category', inverse: true, data: parts.map(([label]) => label), axisLabel: { fontSize: 9 } },
      series: [
        { name: 'Plan', type: 'bar', data: values(cost.optimized.totals), itemStyle: { color: FUEL_COLOURS.electricity }, barGap: '10%' },
        { name: 'First-come-first-served', type: 'bar', data: values(cost.baseline.totals), itemStyle: { color: '#b5b5b5' } },
      ],
    },
    width,
    height,
  );
}
