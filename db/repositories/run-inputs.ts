import { eq } from 'drizzle-orm';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import { sha256Hex } from '../../domain/hashing.ts';
import type { Db } from '../client.ts';
import { runInputs } from '../schema.ts';

/** A submission as the intake step reads it back. */
export interface StoredInput {
  bytes: Buffer;
  /** The format the submitter named, or `auto`. */
  format: string;
  fileName?: string;
}

/**
 * The columns that keep a submission's bytes: readable text in `content` when the bytes are
 * UTF-8 that Postgres text holds and gives back byte for byte, else the bytes in `raw`.
 */
export function storedBytes(bytes: Uint8Array): { content: string | null; raw: Buffer | null; sha256: string } {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString('utf8');
  const exact = !text.includes('\u0000') && Buffer.from(text, 'utf8').equals(buffer);
  return { content: exact ? text : null, raw: exact ? null : buffer, sha256: sha256Hex(buffer) };
}

/** The submission exactly as received; E008 when its bytes no longer match the hash stored with them. */
export async function loadRunInput(db: Db, runId: string): Promise<StoredInput> {
  const [row] = await db.select().from(runInputs).where(eq(runInputs.runId, runId));
  if (!row) throw new DomainError(ErrorCode.INTEGRITY_VIOLATION, `run ${runId} has no stored input`);
  const bytes = row.raw ?? Buffer.from(row.content ?? '', 'utf8');
  if (row.sha256 !== null && sha256Hex(bytes) !== row.sha256) {
    throw new DomainError(ErrorCode.INTEGRITY_VIOLATION, `run ${runId}: the stored input no longer matches its sha256 ${row.sha256}`);
  }
  return { bytes, format: row.format, fileName: row.fileName ?? undefined };
}
