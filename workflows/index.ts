export { optimizationRun, progressQuery } from './optimization-run.ts';
export { notifyRun } from './notify-run.ts';
export { runReconciliation } from './reconcile-runs.ts';
export { alertWorkflow } from './alert.ts';
