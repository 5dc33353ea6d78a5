/**
 * The gateway board on the Loa table: one item a sender, `GATEWAYS` / `SENDER#<sender>`, replaced at each
 * post and gone by TTL an hour after its last (a sender's environment ends without saying so).
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GatewayBoard, GatewayReport } from '../../core/gateways/gateway-board.js';
import { GATEWAY_REPORTS, keys } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';

const RETENTION_S = 3600;

export class DynamoDbGatewayBoard implements GatewayBoard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async post(report: GatewayReport): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.gatewayReport(report.sender),
          data: JSON.stringify(report),
          at: report.at,
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(report.at) / 1000) + RETENTION_S,
        },
      }),
    );
  }

  async reportsSince(since: string): Promise<GatewayReport[]> {
    const reports: GatewayReport[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#at >= :since',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':pk': GATEWAY_REPORTS, ':since': since },
          ExclusiveStartKey: startKey,
        }),
      );
      reports.push(...(page.Items ?? []).map((item) => JSON.parse(item.data as string) as GatewayReport));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return reports;
  }
}
