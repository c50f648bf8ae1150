import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../workers/common.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('workflow bundle', () => {
  it('bundles our workflows (a Node or I/O import in workflow code would fail here)', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet as never });
    expect(code).toContain('optimizationRun');
    expect(code).toContain('notifyRun');
  });

  it('refuses a workflow that imports a Node module', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hs-bundle-'));
    try {
      const file = join(dir, 'bad.ts');
      await writeFile(
        file,
        "import { readFileSync } from 'node:fs';\nexport async function bad() { return readFileSync('/etc/hostname', 'utf8'); }\n",
      );
      await expect(bundleWorkflowCode({ workflowsPath: file, logger: quiet as never })).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
