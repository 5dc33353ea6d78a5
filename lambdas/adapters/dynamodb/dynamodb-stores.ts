/**
 * The stores of the AWS runtime, one per port, all on the one Loa table (table.ts) through one document
 * client. The design, every access pattern with its key condition and the trade-offs are in README.md.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../../core/ports.js';
import { DynamoDbAudienceStore } from './dynamodb-audience-store.js';
import { DynamoDbAuditStore } from './dynamodb-audit-store.js';
import { DynamoDbCampaignStore } from './dynamodb-campaign-store.js';
import { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.js';
import { DynamoDbImportStore } from './dynamodb-import-store.js';
import { DynamoDbReceiptStore } from './dynamodb-receipt-store.js';
import { DynamoDbTemplateStore } from './dynamodb-template-store.js';
import { DynamoDbTourStore } from './dynamodb-tour-store.js';

/** `retentionDays`: how long receipts are kept after their last change (config.retentionDays; TTL). */
export function dynamoDbStores(documents: DynamoDBDocumentClient, tableName: string, options: { retentionDays?: number } = {}): Stores {
  const table = { db: documents, tableName };
  return {
    templates: new DynamoDbTemplateStore(table),
    audience: new DynamoDbAudienceStore(table),
    campaigns: new DynamoDbCampaignStore(table),
    receipts: new DynamoDbReceiptStore(table, options),
    tours: new DynamoDbTourStore(table),
    audit: new DynamoDbAuditStore(table),
    idempotency: new DynamoDbIdempotencyStore(table),
    imports: new DynamoDbImportStore(table),
  };
}
