import type { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { RUN_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
type OperatorService = proto.temporal.api.operatorservice.v1.OperatorService;

/** The type names `temporal` CLI takes (`--search-attribute Name=Keyword`) and the API's enum, per SDK type. */
const TYPES: Record<SearchAttributeType, { cli: string; indexed: proto.temporal.api.enums.v1.IndexedValueType }> = {
  TEXT: { cli: 'Text', indexed: IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
  KEYWORD: { cli: 'Keyword', indexed: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  INT: { cli: 'Int', indexed: IndexedValueType.INDEXED_VALUE_TYPE_INT },
  DOUBLE: { cli: 'Double', indexed: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE },
  BOOL: { cli: 'Bool', indexed: IndexedValueType.INDEXED_VALUE_TYPE_BOOL },
  DATETIME: { cli: 'Datetime', indexed: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME },
  KEYWORD_LIST: { cli: 'KeywordList', indexed: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST },
};

const keys = Object.values(RUN_SEARCH_ATTRIBUTES);

/** `temporal server start-dev` arguments that register the run's search attributes. */
export function devServerSearchAttributeArgs(): string[] {
  return keys.flatMap((k) => ['--search-attribute', `${k.name}=${TYPES[k.type].cli}`]);
}

/** The commands an operator runs on a cluster where this process may not register them itself. */
export function searchAttributeCommands(namespace: string): string {
  return keys
    .map((k) => `temporal operator search-attribute create --namespace ${namespace} --name ${k.name} --type ${TYPES[k.type].cli}`)
    .join('\n');
}

/**
 * Registers the run's search attributes on the namespace where missing (idempotent). Without them
 * a run's workflow could not set them, so a worker that cannot register them refuses to start and
 * names the commands that would.
 */
export async function ensureSearchAttributes(service: OperatorService, namespace: string): Promise<string[]> {
  try {
    const { customAttributes } = await service.listSearchAttributes({ namespace });
    const missing = keys.filter((k) => !customAttributes || !(k.name in customAttributes));
    if (missing.length === 0) return [];
    await service.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, TYPES[k.type].indexed])),
    });
    return missing.map((k) => k.name);
  } catch (err) {
    throw new Error(
      `could not register the run search attributes on namespace ${namespace} (${String(err)}); register them with:\n${searchAttributeCommands(namespace)}`,
      { cause: err },
    );
  }
}
