// The run page's charts as plain SVG: Gantt of heaters, load against tariff periods and the limit,
// costs against the baseline, savings by cause. Each is an image with a text alternative.
import { fmt, h, s } from './dom.js';

/** Same colours as the PDF report's charts. */
export const CATEGORY_COLOURS = { 'off-peak': '#dcefdc', 'mid-peak': '#fbf0c8', 'on-peak': '#fbdcc0', critical: '#f6c4c4' };
const HEATER_COLOURS = { gas_boiler: '#d9822b', electric: '#2f6fb5', heat_pump: '#2c9a6a' };
const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 16;

/** x position of an instant on the horizon. */
function timeScale(plan) {
  const from = Date.parse(plan.horizon.start);
  const span = Date.parse(plan.horizon.end) - from;
  return (iso) => LEFT + ((Date.parse(iso) - from) / span) * (WIDTH - LEFT - RIGHT);
}

/** Consecutive slots of one tariff category, as bands. */
function categoryBands(plan) {
  const bands = [];
  plan.slots.forEach((slot, i) => {
    const last = bands.at(-1);
    if (last && last.category === slot.category) last.to = i + 1;
    else bands.push({ category: slot.category, from: i, to: i + 1 });
  });
  return bands;
}

const slotIso = (plan, i) => (i < plan.slots.length ? plan.slots[i].start : plan.horizon.end);

function backgroundBands(plan, x, top, height) {
  return categoryBands(plan).map((b) =>
    s('rect', {
      x: x(slotIso(plan, b.from)),
      y: top,
      width: x(slotIso(plan, b.to)) - x(slotIso(plan, b.from)),
      height,
      fill: CATEGORY_COLOURS[b.category] ?? '#eee',
      'data-category': b.category,
    }),
  );
}

/** Hour ticks every 2 hours a day (more apart over several days), in site time. */
function timeAxis(plan, x, top, bottom) {
  const days = (Date.parse(plan.horizon.end) - Date.parse(plan.horizon.start)) / 86400000;
  const every = days <= 1.01 ? 2 : days <= 3 ? 6 : 12;
  const out = [];
  plan.slots.forEach((slot) => {
    const [hours, minutes] = slot.localStart.slice(11, 16).split(':').map(Number);
    if (minutes !== 0 || hours % every !== 0) return;
    const px = x(slot.start);
    out.push(s('line', { class: 'grid', x1: px, x2: px, y1: top, y2: bottom }));
    const label = days > 1.01 && hours === 0 ? slot.localStart.slice(5, 10) : slot.localStart.slice(11, 16);
    out.push(s('text', { x: px, y: bottom + 14, 'text-anchor': 'middle' }, label));
  });
  return out;
}

/** Heater types present in the plan, with the colour of their bars. */
export function legendOfHeaters(plan) {
  const names = { gas_boiler: 'Gas boiler', electric: 'Electric heater', heat_pump: 'Heat pump' };
  const present = [...new Set(plan.heaters.map((x) => x.type))];
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Heater types' },
    present.map((t) => h('li', {}, h('span', { class: 'swatch', style: `background:${HEATER_COLOURS[t] ?? '#666'}` }), names[t] ?? t)),
  );
}

export function legendOfCategories(plan) {
  const present = [...new Set(plan.slots.map((sl) => sl.category))];
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Tariff periods' },
    present.map((c) => h('li', {}, h('span', { class: 'swatch', style: `background:${CATEGORY_COLOURS[c] ?? '#eee'}` }), c)),
  );
}

/** Heaters as rows, jobs as bars over the horizon, tariff periods behind them. */
export function ganttChart(plan) {
  const rowHeight = 30;
  const top = 8;
  const height = top + plan.heaters.length * rowHeight;
  const x = timeScale(plan);
  const rows = plan.heaters.map((heater, i) => {
    const y = top + i * rowHeight;
    const bars = plan.assignments
      .filter((a) => a.equipmentId === heater.id)
      .map((a) => {
        const x0 = x(a.start);
        const w = Math.max(2, x(a.end) - x0);
        const label = `${a.jobId}${a.product ? ` (${a.product})` : ''} on ${heater.name}, ${fmt.siteTime(a.start, plan.timeZone)}–${fmt.siteTime(a.end, plan.timeZone)}, ${fmt.kw(a.thermalKw)} heat`;
        return s(
          'g',
          { class: 'bar', 'data-job': a.jobId },
          s('title', {}, label),
          s('rect', {
            x: x0,
            y: y + 4,
            width: w,
            height: rowHeight - 8,
            rx: 3,
            fill: HEATER_COLOURS[heater.type] ?? '#666',
            stroke: '#fff',
          }),
          w > 34 ? s('text', { x: x0 + 4, y: y + rowHeight / 2 + 4, fill: '#fff', style: 'fill:#fff' }, a.jobId) : null,
        );
      });
    return s(
      'g',
      {},
      s('line', { class: 'grid', x1: LEFT, x2: WIDTH - RIGHT, y1: y + rowHeight, y2: y + rowHeight }),
      s(
        'text',
        { x: LEFT - 8, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' },
        heater.name.length > 22 ? `${heater.name.slice(0, 21)}…` : heater.name,
      ),
      bars,
    );
  });
  const placed = plan.assignments.length;
  return s(
    'svg',
    {
      class: 'chart gantt',
      viewBox: `0 0 ${WIDTH} ${height + 24}`,
      role: 'img',
      'aria-label': `Gantt chart: ${placed} jobs on ${plan.heaters.length} heaters over the horizon; the table below lists them.`,
    },
    backgroundBands(plan, x, top, height - top),
    timeAxis(plan, x, top, height),
    rows,
  );
}

function niceMax(value) {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** The site's electric load per slot as a step line, tariff periods behind it, the contractual limit dashed. */
export function loadChart(plan) {
  const top = 10;
  const height = 240;
  const x = timeScale(plan);
  const yMax = niceMax(Math.max(plan.peakKw, plan.peakLimitKw ?? 0) * 1.1);
  const y = (kw) => top + height - (kw / yMax) * height;
  let path = '';
  plan.slots.forEach((slot, i) => {
    const x0 = x(slot.start);
    const x1 = x(slotIso(plan, i + 1));
    path += `${i === 0 ? 'M' : 'L'}${x0.toFixed(1)},${y(slot.loadKw).toFixed(1)} L${x1.toFixed(1)},${y(slot.loadKw).toFixed(1)} `;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const limit = plan.peakLimitKw;
  return s(
    'svg',
    {
      class: 'chart load',
      viewBox: `0 0 ${WIDTH} ${top + height + 24}`,
      role: 'img',
      'aria-label': `Site electric load over the horizon: peak ${fmt.kw(plan.peakKw)}${limit ? `, contractual limit ${fmt.kw(limit)}` : ''}.`,
    },
    backgroundBands(plan, x, top, height),
    ticks.map((kw) => [
      s('line', { class: 'grid', x1: LEFT, x2: WIDTH - RIGHT, y1: y(kw), y2: y(kw) }),
      s('text', { x: LEFT - 8, y: y(kw) + 4, 'text-anchor': 'end' }, `${fmt.number(kw)} kW`),
    ]),
    timeAxis(plan, x, top, top + height),
    s('path', { d: path, fill: 'none', stroke: '#2f6fb5', 'stroke-width': 2, 'data-series': 'load' }),
    limit
      ? s(
          'g',
          { 'data-series': 'limit' },
          s('line', {
            x1: LEFT,
            x2: WIDTH - RIGHT,
            y1: y(limit),
            y2: y(limit),
            stroke: '#b3261e',
            'stroke-width': 2,
            'stroke-dasharray': '8 5',
          }),
          s('text', { x: WIDTH - RIGHT - 4, y: y(limit) - 5, 'text-anchor': 'end', style: 'fill:#b3261e' }, `limit ${fmt.kw(limit)}`),
        )
      : null,
  );
}

/** Horizontal bars, one per row, each split into parts; positive only. */
export function stackedBars(rows, parts, { currency, label }) {
  const rowHeight = 34;
  const max = Math.max(...rows.map((r) => parts.reduce((sum, p) => sum + Math.max(0, r.values[p.key] ?? 0), 0)), 1);
  const scale = (v) => (v / max) * (WIDTH - LEFT - 120);
  const bars = rows.map((row, i) => {
    let at = LEFT;
    const y = 6 + i * rowHeight;
    const segments = parts.map((p) => {
      const value = Math.max(0, row.values[p.key] ?? 0);
      const rect = s(
        'rect',
        { x: at, y, width: scale(value), height: rowHeight - 10, fill: p.colour },
        s('title', {}, `${row.label}, ${p.label}: ${fmt.money(value, currency)}`),
      );
      at += scale(value);
      return rect;
    });
    return s(
      'g',
      {},
      s('text', { x: LEFT - 8, y: y + rowHeight / 2, 'text-anchor': 'end' }, row.label),
      segments,
      s('text', { x: at + 6, y: y + rowHeight / 2 }, fmt.money(row.total, currency)),
    );
  });
  return s('svg', { class: 'chart bars', viewBox: `0 0 ${WIDTH} ${rows.length * rowHeight + 10}`, role: 'img', 'aria-label': label }, bars);
}

/** Signed horizontal bars around a zero line (savings by cause: a negative one cost money). */
export function signedBars(rows, { currency, label }) {
  const rowHeight = 30;
  const max = Math.max(...rows.map((r) => Math.abs(r.value)), 1);
  const zero = LEFT + 40 + (WIDTH - LEFT - 200) / 2;
  const scale = (v) => (v / max) * ((WIDTH - LEFT - 200) / 2);
  const bars = rows.map((row, i) => {
    const y = 6 + i * rowHeight;
    const w = scale(row.value);
    return s(
      'g',
      {},
      s('text', { x: LEFT + 30, y: y + rowHeight / 2, 'text-anchor': 'end' }, row.label),
      s('rect', { x: w >= 0 ? zero : zero + w, y, width: Math.abs(w), height: rowHeight - 10, fill: w >= 0 ? '#2c9a6a' : '#b3261e' }),
      s('text', { x: w >= 0 ? zero + w + 6 : zero + 6, y: y + rowHeight / 2 }, fmt.money(row.value, currency)),
    );
  });
  return s(
    'svg',
    { class: 'chart bars', viewBox: `0 0 ${WIDTH} ${rows.length * rowHeight + 10}`, role: 'img', 'aria-label': label },
    s('line', { class: 'axis', x1: zero, x2: zero, y1: 0, y2: rows.length * rowHeight + 4 }),
    bars,
  );
}
