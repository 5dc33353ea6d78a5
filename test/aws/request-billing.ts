/**
 * Requests as AWS bills them, for the driver's counts: every DynamoDB request, counted by a middleware on
 * the client (split in reads and writes, with their request units), and SQS requests by their payload.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeUnitModel } from './write-unit-model.js';

export interface DynamoCounts {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  byCommand: Record<string, number>;
  unitsByCommand: Record<string, number>;
  /** Units are summed only while true (reading every written item twice is slow: the bench's setup is not measured). */
  measuring: boolean;
  /** Time during which the write unit model's own reads were in flight: not the handlers' time, taken off their durations. */
  modelMs: number;
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READ_COMMANDS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);

type CapacityReport = { CapacityUnits?: number };

/** Where to measure units: the table, and how to reach it with a reader of its own (not counted). */
export interface CapacityMeasure {
  endpoint: string;
  tableName: string;
  clientConfig: ConstructorParameters<typeof DynamoDBClient>[0];
}

/**
 * Counts every request `client` makes from now on; with `measure`, sums the units used: read units as
 * DynamoDB Local reports them (it reports reads like DynamoDB), write units from the items before and after
 * each write (write-unit-model.ts), index writes included.
 */
export function countDynamoRequests(client: DynamoDBClient, measure: CapacityMeasure | undefined): DynamoCounts {
  const counts: DynamoCounts = {
    reads: 0,
    writes: 0,
    readUnits: 0,
    writeUnits: 0,
    byCommand: {},
    unitsByCommand: {},
    measuring: true,
    modelMs: 0,
  };
  const measured =
    measure && writeUnitModel(new DynamoDBClient({ ...measure.clientConfig, endpoint: measure.endpoint }), measure.tableName);
  // The union of the intervals when a model read is in flight (requests overlap: not their sum).
  let inFlight = 0;
  let busySince = 0;
  const timed = async <T>(read: () => Promise<T>): Promise<T> => {
    if (inFlight++ === 0) busySince = performance.now();
    try {
      return await read();
    } finally {
      if (--inFlight === 0) counts.modelMs += performance.now() - busySince;
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const model = counts.measuring ? measured : undefined;
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      const isWrite = WRITE_COMMANDS.has(command);
      const isRead = READ_COMMANDS.has(command);
      if (model && isRead) input.ReturnConsumedCapacity = 'TOTAL';
      const written = model && isWrite ? model.keysOf(command, input) : [];
      const before = model && written.length > 0 ? await timed(() => model.images(written)) : undefined;
      const units = async () => {
        if (!model || !before) return 0;
        const n = model.units(written, before, await timed(() => model.images(written)));
        counts.unitsByCommand[command] = (counts.unitsByCommand[command] ?? 0) + n;
        counts.writeUnits += n;
        return n;
      };
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        // A failed condition or a cancelled transaction is billed too.
        await units();
        throw error;
      }
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      if (isWrite) {
        counts.writes++;
        await units();
      }
      if (isRead) {
        counts.reads++;
        if (model) {
          const output = result.output as { ConsumedCapacity?: CapacityReport | CapacityReport[] };
          const n = ([] as CapacityReport[]).concat(output.ConsumedCapacity ?? []).reduce((sum, r) => sum + (r.CapacityUnits ?? 0), 0);
          counts.unitsByCommand[command] = (counts.unitsByCommand[command] ?? 0) + n;
          counts.readUnits += n;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'loaCountRequests' },
  );
  return counts;
}

/** SQS bills each 64 KB chunk of a request's payload as one request. */
export function billedChunks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 65_536));
}
