import { inject, it, expect } from 'vitest';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
it('answers', async () => {
  const c = new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: 'local', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const r = await c.send(new ListTablesCommand({}));
  expect(r.TableNames).toEqual([]);
});
