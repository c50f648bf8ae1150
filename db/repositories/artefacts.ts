import { eq } from 'drizzle-orm';
import { sha256Hex } from '../../domain/hashing.ts';
import type { Db, Tx } from '../client.ts';
import { artefacts } from '../schema.ts';

interface ArtefactFile {
  kind: string;
  contentType: string;
  content: Buffer;
}

/** Stores a file the run produced, once per kind (a retry keeps the first). */
export async function storeArtefact(
  tx: Tx,
  a: { runId: string; tenantId: string; kind: string; contentType: string; content: string | Buffer },
): Promise<void> {
  const content = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
  await tx
    .insert(artefacts)
    .values({
      runId: a.runId,
      tenantId: a.tenantId,
      kind: a.kind,
      contentType: a.contentType,
      content,
      sha256: sha256Hex(content),
      sizeBytes: content.length,
    })
    .onConflictDoNothing();
}

/** Every file the run produced. */
export async function listArtefacts(db: Db, runId: string): Promise<ArtefactFile[]> {
  return db
    .select({ kind: artefacts.kind, contentType: artefacts.contentType, content: artefacts.content })
    .from(artefacts)
    .where(eq(artefacts.runId, runId));
}
