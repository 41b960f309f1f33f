import { DURABLES } from '@vigil/common';

/** Each sink has its own durable consumer, so a slow or down sink holds back only itself. */
export const INDEXER_DURABLES = {
  sqlite: DURABLES.indexer,
  elasticsearch: `${DURABLES.indexer}-elasticsearch`,
  archives: `${DURABLES.indexer}-archives`,
} as const;
