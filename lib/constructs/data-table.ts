/**
 * Loa's one DynamoDB table, built from the same definition the store and its tests use
 * (lambdas/adapters/dynamodb/table.ts), so keys, indexes and projections cannot drift apart.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { tableDefinition, TTL_ATTRIBUTE } from '../../lambdas/adapters/dynamodb/table.js';
import { isDisposable } from '../config.js';

/**
 * The requests the DynamoDB stores make (their README lists them): no Scan, ever, and no stream reads.
 * TransactWriteItems is authorised by the item actions inside it.
 */
export const STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

export interface DataTableProps {
  stage: string;
}

export class DataTable extends Construct {
  readonly table: dynamodb.Table;
  /**
   * The key of the pseudonyms that erased numbers and receipts past retention are kept under. Never
   * rotated, and kept when the stack goes: with another key, an erased number that opted out would be
   * messaged again.
   */
  readonly pseudonymKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const definition = tableDefinition('loa');
    const attribute = (name: string): dynamodb.Attribute => {
      const found = definition.AttributeDefinitions?.find((a) => a.AttributeName === name);
      const type = found?.AttributeType && ATTRIBUTE_TYPES[found.AttributeType];
      if (!type) throw new Error(`The table definition does not declare attribute ${name}`);
      return { name, type };
    };
    const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => {
      const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
      if (!hash) throw new Error('A key schema of the table definition has no HASH key');
      return { partitionKey: attribute(hash), ...(range && { sortKey: attribute(range) }) };
    };
    const disposable = isDisposable(props.stage);

    this.table = new dynamodb.Table(this, 'Table', {
      ...keys(definition.KeySchema),
      billingMode: definition.BillingMode === 'PAY_PER_REQUEST' ? dynamodb.BillingMode.PAY_PER_REQUEST : dynamodb.BillingMode.PROVISIONED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: !disposable,
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.pseudonymKey = new secretsmanager.Secret(this, 'PseudonymKey', {
      description: `Loa (${props.stage}): the HMAC key of the pseudonyms of erased phone numbers`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.pseudonymKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A rotated key would give erased numbers new pseudonyms, and an erased number that opted out could be messaged again.',
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      const projection = index.Projection?.ProjectionType ?? 'ALL';
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName!,
        ...keys(index.KeySchema),
        projectionType: PROJECTIONS[projection],
        ...(projection === 'INCLUDE' && { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] }),
      });
    }
  }

  /**
   * Lets a function use the table as the store does (STORE_ACTIONS on the table and its indexes) and
   * tells it the table's name (TABLE_NAME).
   */
  bindTable(fn: lambda.Function): void {
    this.table.grant(fn, ...STORE_ACTIONS);
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    const tableRef = Stack.of(this).getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableRef}.Arn>/index/*]`,
      reason:
        'The store queries the GSIs of its one table (lists, timers, segment walks, receipts); ' +
        'the actions are listed, the indexes are only those of this table.',
    });
  }

  /** Lets a function read the pseudonym key (GetSecretValue) and tells it where it is (PSEUDONYM_SECRET_ARN). */
  bindPseudonymKey(fn: lambda.Function): void {
    this.pseudonymKey.grantRead(fn);
    fn.addEnvironment('PSEUDONYM_SECRET_ARN', this.pseudonymKey.secretArn);
  }
}

const ATTRIBUTE_TYPES: Record<string, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

const PROJECTIONS: Record<string, dynamodb.ProjectionType> = {
  ALL: dynamodb.ProjectionType.ALL,
  KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
  INCLUDE: dynamodb.ProjectionType.INCLUDE,
};
