/**
 * The CDK app: one Loa stack for the stage chosen by context, environment-agnostic (no account or region
 * is looked up, so `npm run synth` works offline), checked by cdk-nag's AWS Solutions rules.
 *
 *   npx cdk deploy -c stage=prod -c senderId=SOYTE -c alarmEmail=ops@example.vn [-c senderTps=20]
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackPropsFromContext } from '../lib/config.js';
import { LoaStack } from '../lib/loa-stack.js';

const app = new App();
const props = stackPropsFromContext((key) => app.node.tryGetContext(key));
new LoaStack(app, `Loa-${props.stage}`, props);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
