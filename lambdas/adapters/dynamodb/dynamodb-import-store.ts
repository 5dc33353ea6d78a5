/**
 * Imports in slices on the Loa table: one partition an import, `IMPORT#<id>`, holding the record (sk
 * `IMPORT`) and its listed refused rows in chunks (sk `REFUSED#<first line>`), so that getImport is one
 * Query. A slice's progress is one put of the record on the position it read from, in one transaction with
 * the chunk of rows it newly listed: a batch repeated after a crash finds the import moved on and writes
 * nothing. The first 1,000 refused rows are listed, so chunks stop being written early in a bad file; each
 * is cut well under DynamoDB's 400 KB item limit. Everything expires IMPORT_RETENTION_DAYS after creation.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportStore } from '../../core/imports/import-store.js';
import type { ImportPosition, ImportRecord, SubscriberImport } from '../../core/imports/subscriber-import.js';
import type { RejectedRow } from '../../core/subscribers/subscriber-csv.js';
import { insertRecord, isConditionFailed, plain, strip, type Table } from './items.js';
import { keys, SortKeyPrefix } from './keys.js';
import { queryAll } from './paging.js';
import { TTL_ATTRIBUTE } from './table.js';
import { conditionFailures, type TransactItem, transact } from './write-engine.js';

/** How long an import's record and its refused rows (which quote the file) are kept. */
export const IMPORT_RETENTION_DAYS = 30;
/** Bytes of refused rows (as JSON) per chunk item: a reason quotes at most 40 characters of its row. */
const CHUNK_BYTES = 100_000;

const AT_POSITION = '#status = :status AND bytesRead = :bytesRead';

export class DynamoDbImportStore implements ImportStore {
  constructor(private readonly table: Table) {}

  async insertImport(record: ImportRecord): Promise<void> {
    await insertRecord(this.table, this.item(record), `Import ${record.id}`);
  }

  async getImport(id: string): Promise<SubscriberImport | undefined> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.import(id).pk },
      ConsistentRead: true,
    });
    const record = items.find((item) => item.sk === keys.import(id).sk);
    if (!record) return undefined;
    const refused = items
      .filter((item) => String(item.sk).startsWith(SortKeyPrefix.importRefusals))
      .flatMap((item) => item.rows as RejectedRow[])
      .sort((a, b) => a.line - b.line);
    return { ...strip<ImportRecord>(record), refused };
  }

  async saveImportProgress(next: ImportRecord, from: ImportPosition, newlyRefused: RejectedRow[]): Promise<boolean> {
    const put = {
      TableName: this.table.tableName,
      Item: this.item(next),
      ConditionExpression: AT_POSITION,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': from.status, ':bytesRead': from.bytesRead },
    };
    try {
      if (newlyRefused.length === 0) await this.table.db.send(new PutCommand(put));
      else await transact(this.table, [{ Put: put }, ...this.chunks(next, newlyRefused)]);
      return true;
    } catch (error) {
      if (isConditionFailed(error) || conditionFailures(error).includes(0)) return false;
      throw error;
    }
  }

  private item(record: ImportRecord) {
    return { ...plain(record), ...keys.import(record.id), [TTL_ATTRIBUTE]: this.expiresAt(record) };
  }

  private expiresAt(record: ImportRecord): number {
    return Math.floor(Date.parse(record.createdAt) / 1000) + IMPORT_RETENTION_DAYS * 86_400;
  }

  private chunks(record: ImportRecord, rows: RejectedRow[]): TransactItem[] {
    const chunks: RejectedRow[][] = [[]];
    let bytes = 0;
    for (const row of [...rows].sort((a, b) => a.line - b.line)) {
      const size = Buffer.byteLength(JSON.stringify(row));
      if (bytes + size > CHUNK_BYTES && chunks.at(-1)!.length > 0) {
        chunks.push([]);
        bytes = 0;
      }
      chunks.at(-1)!.push(row);
      bytes += size;
    }
    return chunks.map((chunk) => ({
      Put: {
        TableName: this.table.tableName,
        Item: { ...keys.importRefusals(record.id, chunk[0]!.line), rows: chunk, [TTL_ATTRIBUTE]: this.expiresAt(record) },
      },
    }));
  }
}
