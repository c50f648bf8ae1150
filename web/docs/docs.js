// Renders /api/openapi.json as a readable page: no CDN, no build (plant networks have no internet).
import { h, show } from '/js/dom.js';

const main = document.getElementById('view');

function schemaBlock(title, schema) {
  return h('details', {}, h('summary', {}, title), h('pre', { class: 'schema' }, JSON.stringify(schema, null, 2)));
}

/** A parameter's schema in a few words (type, choices, bounds, format). */
function describe(schema) {
  if (!schema) return '';
  if (schema.anyOf) return schema.anyOf.map(describe).join(' or ');
  if (schema.enum) return `one of ${schema.enum.join(', ')}`;
  const bounds = [
    schema.format,
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : null,
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : null,
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} characters` : null,
    schema.default !== undefined ? `default ${schema.default}` : null,
  ].filter(Boolean);
  return `${schema.type ?? 'any'}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
}

function parametersTable(parameters) {
  if (!parameters?.length) return null;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Parameter', 'In', 'Required', 'Schema'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        parameters.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, p.name)),
            h('td', {}, p.in),
            h('td', {}, p.required ? 'yes' : 'no'),
            h('td', {}, describe(p.schema)),
          ),
        ),
      ),
    ),
  );
}

function operationCard(method, path, op) {
  const [status, success] = Object.entries(op.responses).find(([code]) => code.startsWith('2')) ?? [];
  const body = op.requestBody?.content?.['application/json']?.schema;
  return h(
    'section',
    { class: 'card', id: op.operationId },
    h('h2', {}, h('code', {}, `${method.toUpperCase()} ${path}`)),
    h('p', {}, op.summary),
    h('p', { class: 'hint' }, op.description),
    parametersTable(op.parameters),
    body ? schemaBlock('Request body (JSON Schema)', body) : null,
    success ? schemaBlock(`${status}: ${Object.keys(success.content ?? {}).join(', ')}`, success.content) : null,
    h(
      'p',
      { class: 'hint' },
      `Errors: ${Object.keys(op.responses)
        .filter((c) => !c.startsWith('2'))
        .join(', ')} as { code, message, details }.`,
    ),
  );
}

try {
  const response = await fetch('/api/openapi.json');
  const doc = await response.json();
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => operationCard(method, path, op)),
  );
  show(
    main,
    h('h1', {}, `${doc.info.title} ${doc.info.version}`),
    h('p', {}, doc.info.description, ' Every route takes a bearer token (JWT) unless the server runs as the local demo.'),
    h('p', {}, h('a', { href: '/api/openapi.json' }, 'The OpenAPI 3.1 document'), ` · ${operations.length} operations`),
    operations,
  );
} catch (err) {
  show(main, h('p', { role: 'alert' }, `The API description could not be loaded: ${err.message}`));
}
