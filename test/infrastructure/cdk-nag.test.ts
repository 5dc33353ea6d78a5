/**
 * cdk-nag's AWS Solutions rules over both stages (dev, and prod with every option). cdk-nag 3 runs as a
 * CDK validation plugin: a finding is either fixed or acknowledged next to its cause with
 * `Validations.of(construct).acknowledge({ id, reason })`, and what is left (errors or warnings) is in
 * the assembly's validation report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DEV_PROPS, PROD_PROPS, readViolations, synthesize } from './synth.js';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not fixed or acknowledged with a reason, error or warning, in any stage', () => {
    const { violations, cleanUp } = synthesize([DEV_PROPS, PROD_PROPS], { nag: true });
    try {
      expect(violations.filter((v) => v.plugin === 'AwsSolutions')).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      cleanUp();
    }
  }, 240_000); // two stacks synthesized with every rule: over a minute on a busy two-core machine

  it('is really checking: a queue without TLS or a dead-letter queue is reported', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'loa-nag-'));
    try {
      const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
      new sqs.Queue(new Stack(app, 'Careless'), 'Queue');
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const violations = readViolations(join(app.synth().directory, VALIDATION_REPORT_FILE));
      expect(violations.map((v) => v.rule).sort()).toEqual(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
