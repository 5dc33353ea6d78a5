/**
 * Requests as AWS bills them, for the driver's counts: every DynamoDB request, counted by a middleware on
 * the client (split in reads and writes, with the capacity units DynamoDB Local reports), and SQS requests
 * by their payload.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoCounts {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  byCommand: Record<string, number>;
  unitsByCommand: Record<string, number>;
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READ_COMMANDS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);

type CapacityReport = {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

/** Counts every request `client` makes from now on; with `measureCapacity`, asks for and sums the units used. */
export function countDynamoRequests(client: DynamoDBClient, measureCapacity: boolean): DynamoCounts {
  const counts: DynamoCounts = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0, byCommand: {}, unitsByCommand: {} };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      const isWrite = WRITE_COMMANDS.has(command);
      const isRead = READ_COMMANDS.has(command);
      if (measureCapacity && (isWrite || isRead)) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      if (isWrite) counts.writes++;
      if (isRead) counts.reads++;
      if (measureCapacity && (isWrite || isRead)) {
        const output = result.output as { ConsumedCapacity?: CapacityReport | CapacityReport[] };
        const reports = ([] as CapacityReport[]).concat(output.ConsumedCapacity ?? []);
        const units = reports.reduce((sum, report) => sum + capacityUnits(command, input, report), 0);
        counts.unitsByCommand[command] = (counts.unitsByCommand[command] ?? 0) + units;
        if (isWrite) counts.writeUnits += units;
        else counts.readUnits += units;
      }
      return result;
    },
    { step: 'initialize', name: 'loaCountRequests' },
  );
  return counts;
}

/**
 * Request units as DynamoDB bills them. DynamoDB Local reports the units of plain requests like DynamoDB;
 * for TransactWriteItems it under-reports, so a transaction is counted as 2 units per item (each under
 * 1 KB, as Loa's are) plus the index writes Local reports.
 */
function capacityUnits(command: string, input: Record<string, unknown>, report: CapacityReport): number {
  if (command !== 'TransactWriteItemsCommand') return report.CapacityUnits ?? 0;
  const items = Array.isArray(input.TransactItems) ? input.TransactItems.length : 0;
  const indexes = Object.values(report.GlobalSecondaryIndexes ?? {}).reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0);
  return 2 * items + indexes;
}

/** SQS bills each 64 KB chunk of a request's payload as one request. */
export function billedChunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 65_536));
}
