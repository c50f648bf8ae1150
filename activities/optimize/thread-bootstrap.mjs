// Worker-thread entry: Node 20 threads do not inherit tsx's loader, so load the TypeScript here.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
