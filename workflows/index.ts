export { optimizationRun, progressQuery } from './optimization-run.ts';
export { notifyRun } from './notify-run.ts';
export { runReconciliation } from './reconcile-runs.ts';
export { erpPull } from './erp-pull.ts';
export { equipmentStatusPull } from './equipment-status.ts';
export { tariffPull } from './tariff-pull.ts';
export { alertWorkflow } from './alert.ts';
