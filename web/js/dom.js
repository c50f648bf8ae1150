// Small DOM and SVG builders: text is always set as text, never parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: `h('a', { href }, 'text', child…)`. */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces a container's content. */
export function show(container, ...children) {
  container.replaceChildren();
  return fill(container, {}, children);
}

const numberFormat = (digits) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const fmt = {
  money(value, currency = 'USD') {
    if (value === null || value === undefined || value === '') return '–';
    return `${currency} ${numberFormat(2).format(Number(value))}`;
  },
  kw(value) {
    return value === null || value === undefined ? '–' : `${numberFormat(1).format(Number(value))} kW`;
  },
  percent(value, digits = 1) {
    return value === null || value === undefined ? '–' : `${numberFormat(digits).format(Number(value))} %`;
  },
  number(value, digits = 0) {
    return value === null || value === undefined ? '–' : numberFormat(digits).format(Number(value));
  },
  /** A timestamp in the viewer's time. */
  when(iso) {
    if (!iso) return '–';
    return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  },
  /** An instant in the site's time zone, HH:mm. */
  siteTime(iso, timeZone) {
    return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone });
  },
};

export function statusBadge(status) {
  return h('span', { class: `status ${status}` }, status);
}

/** The API error as a list a screen reader announces, with every field path. */
export function errorBlock(err) {
  const details = err.details ?? [];
  return h(
    'div',
    { role: 'alert', class: 'error-list' },
    h('p', {}, h('strong', {}, err.code ? `${err.code}: ` : ''), err.message),
    details.length
      ? h(
          'ul',
          {},
          details.map((d) => h('li', {}, h('code', {}, d.path), ': ', d.message)),
        )
      : null,
  );
}
