/**
 * Imports in slices (lib/constructs/imports.ts): the private bucket of import files, its notification to
 * the import queue, the import Lambda reading it, and what the API and the Lambda may do with the files.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVES } from '../../../lib/constructs/dispatch.js';
import { IMPORT_FILE_DAYS } from '../../../lib/constructs/imports.js';
import { actionsOn, logicalId, resource, resourcesOfType, statementsOfFunction } from '../template-helpers.js';
import { dev, devStack, envOf, fnId, prod, prodStack } from './synthesized-stacks.js';

describe('imports in slices', () => {
  const imports = () => devStack.imports;
  const bucketId = () => logicalId(devStack, imports().bucket);
  const queueId = () => logicalId(devStack, imports().queue);

  it('keeps the files in a private, encrypted bucket, TLS only, deleted after a week', () => {
    const bucket = resource(dev, bucketId()).Properties;
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ ExpirationInDays: IMPORT_FILE_DAYS, Status: 'Enabled' }),
    );
    expect(bucket.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedHeaders: ['content-type', 'if-none-match'] }),
    ]);
    const policy = Object.values(resourcesOfType(dev, 'AWS::S3::BucketPolicy')).find(
      (found) => JSON.stringify(found.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('tells the import queue of every file put under imports/, and the queue outlasts the import Lambda', () => {
    const [notification] = Object.values(resourcesOfType(dev, 'Custom::S3BucketNotifications'));
    expect(notification!.Properties.BucketName).toEqual({ Ref: bucketId() });
    expect(notification!.Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Events: ['s3:ObjectCreated:*'],
          QueueArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'suffix', Value: '.csv' },
                { Name: 'prefix', Value: 'imports/' },
              ],
            },
          },
        },
      ],
    });
    const queue = resource(dev, queueId()).Properties;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(devStack, imports().deadLetterQueue), 'Arn'] },
        maxReceiveCount: MAX_RECEIVES,
      },
    });
    expect(queue.VisibilityTimeout).toBeGreaterThan(resource(dev, fnId('import')).Properties.Timeout);
  });

  it('runs the import Lambda on the queue, one message at a time, reporting failures one by one', () => {
    const mappings = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify({ Ref: fnId('import') }),
    );
    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
    expect(resource(dev, fnId('import')).Properties.Timeout).toBe(900);
    expect(envOf('import')).toMatchObject({ IMPORT_BUCKET: { Ref: bucketId() }, IMPORT_QUEUE_URL: { Ref: queueId() } });
    expect(envOf('api')).toMatchObject({ IMPORT_BUCKET: { Ref: bucketId() } });
  });

  it('lets the import Lambda only read the files, and the API only presign their PUT', () => {
    const onFiles = (name: 'import' | 'api') => actionsOn(statementsOfFunction(dev, fnId(name)), bucketId());
    expect(onFiles('import')).toEqual(['s3:GetObject']);
    expect(onFiles('api')).toEqual(['s3:PutObject']);
    const resources = statementsOfFunction(dev, fnId('api'))
      .filter((statement) => JSON.stringify(statement.Resource).includes(bucketId()))
      .map((statement) => statement.Resource);
    expect(resources).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/imports/*']] }]);
    expect(actionsOn(statementsOfFunction(dev, fnId('import')), queueId())).toEqual(
      expect.arrayContaining(['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
  });

  it('limits integration clients to their areas in the importer as in the API', () => {
    const limits = JSON.stringify({ 'portal-client': { actions: ['subscribers.import'], areas: ['DNI-DXOAI'] } });
    expect(envOf('import', prod, prodStack).LOA_INTEGRATION_CLIENTS).toBe(limits);
    expect(envOf('api', prod, prodStack).LOA_INTEGRATION_CLIENTS).toBe(limits);
  });
});
