/** The stack's DynamoDB table (lib/constructs/data-table.ts): its definition, billing, protection. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Index, tableDefinition, TTL_ATTRIBUTE } from '../../../lambdas/adapters/dynamodb/table.js';
import { resourcesOfType } from '../template-helpers.js';
import { dev, prod } from './synthesized-stacks.js';

describe('the DynamoDB table', () => {
  const definition = tableDefinition('loa');
  const table = () => Object.values(resourcesOfType(dev, 'AWS::DynamoDB::Table'));

  it('is the one table of the store, with the keys, attributes and indexes of its definition', () => {
    expect(table()).toHaveLength(1);
    const properties = table()[0]!.Properties;
    expect(properties.KeySchema).toEqual(definition.KeySchema);
    expect(new Set(properties.AttributeDefinitions)).toEqual(new Set(definition.AttributeDefinitions));
    const byName = (indexes: { IndexName?: string }[]) => [...indexes].sort((a, b) => a.IndexName!.localeCompare(b.IndexName!));
    expect(byName(properties.GlobalSecondaryIndexes)).toEqual(byName(definition.GlobalSecondaryIndexes!));
    expect(properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName).sort()).toEqual(
      Object.values(Index)
        .map((index) => index.name)
        .sort(),
    );
  });

  it('bills on demand, expires items by TTL, keeps point-in-time recovery and is encrypted', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: definition.BillingMode,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('goes with a dev stack but is retained and deletion-protected in any other stage', () => {
    expect(table()[0]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    prod.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});
