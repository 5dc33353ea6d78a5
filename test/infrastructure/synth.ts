/**
 * Synthesizes Loa stacks for the infrastructure tests, once per test file: without bundling unless asked
 * (the context `aws:cdk:bundling-stacks` = [] leaves the Lambda code out), with a stand-in for the built
 * console (a temporary folder, as the tests do not run `vite build`), and optionally checked by
 * cdk-nag's AWS Solutions rules. cdk-nag 3 is a CDK validation plugin: its findings that no
 * `Validations.of(...).acknowledge(...)` covers are written to the assembly's validation report, which
 * this reads back (the synth is told not to throw, so a test can list them).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { LoaStackProps } from '../../lib/config.js';
import { LoaStack } from '../../lib/loa-stack.js';

/**
 * The stack `npm run synth` makes with no context, plus an End User Messaging gateway from a sender ID and
 * SNS delivery-status log groups it creates.
 */
export const DEV_PROPS: LoaStackProps = {
  stage: 'dev',
  senderId: 'LOA',
  senderTps: 20,
  endUserMessaging: { originationIdentities: ['LOA'] },
  snsDeliveryLogs: 'create',
};
/** A production stage with everything set, a faster gateway and SNS log groups that already exist. */
export const PROD_PROPS: LoaStackProps = {
  stage: 'prod',
  senderId: 'SOYTEDNAI',
  senderTps: 500,
  alarmEmail: 'ops@example.vn',
  consoleOrigin: 'https://loa.example.vn',
  testNumbers: ['+84912345678', '+84983000111'],
  prices: { currency: 'USD', perPart: { viettel: 0.0268, '*': 0.03 } },
  integrationClients: { 'portal-client': { actions: ['subscribers.import'], areas: ['DNI-DXOAI'] } },
  snsDeliveryLogs: 'existing',
  // A registered sender ID of this account and a pool shared from the department's messaging account.
  endUserMessaging: { originationIdentities: ['SOYTEDNAI', 'arn:aws:sms-voice:ap-southeast-1:210987654321:pool/pool-0a1b2c3d4e'] },
};

export interface Violation {
  plugin: string;
  rule: string;
  severity: string;
  constructs: string[];
}

export interface Synthesized {
  stacks: LoaStack[];
  templates: Template[];
  /** Findings of the validation plugins that no acknowledgment covers (only with `nag`). */
  violations: Violation[];
  /** The cloud assembly's directory (bundled assets are under it). */
  directory: string;
  /** The stand-in for the built console the stacks upload. */
  consoleDir: string;
  cleanUp(): void;
}

export function synthesize(propsList: LoaStackProps[], options: { nag?: boolean; bundle?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'loa-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...(!options.bundle && { 'aws:cdk:bundling-stacks': [] }),
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const consoleDir = fakeConsoleBuild();
  const stacks = propsList.map((props) => new LoaStack(app, `Loa-${props.stage}`, { consoleDir, ...props }));
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  return {
    stacks,
    templates: stacks.map((stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template)),
    violations: options.nag ? readViolations(join(assembly.directory, VALIDATION_REPORT_FILE)) : [],
    directory: assembly.directory,
    consoleDir,
    cleanUp: () => {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}

/** What `vite build` leaves in console/dist, in small: index.html and a content-hashed script. */
export const FAKE_CONSOLE_FILES = {
  'index.html': '<!doctype html><script type="module" src="/assets/index-Dk3x9a.js"></script>',
  'assets/index-Dk3x9a.js': 'console.log("Loa")',
};

function fakeConsoleBuild(): string {
  const directory = mkdtempSync(join(tmpdir(), 'loa-console-'));
  for (const [file, content] of Object.entries(FAKE_CONSOLE_FILES)) {
    mkdirSync(join(directory, file, '..'), { recursive: true });
    writeFileSync(join(directory, file), content);
  }
  return directory;
}

interface Report {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity?: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

export function readViolations(file: string): Violation[] {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => ({
      plugin: plugin.pluginName,
      rule: violation.ruleName,
      severity: violation.severity ?? 'error',
      constructs: violation.violatingConstructs.map((construct) => construct.constructPath),
    })),
  );
}
