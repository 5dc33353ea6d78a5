/**
 * Loa on AWS, one stack per stage: the table, who may call, the staff console, the API, scheduling,
 * dispatch, delivery reports and what operators watch. Each part is a construct of lib/constructs/;
 * they are wired here with their bind helpers (a function gets a resource's permissions and its
 * environment in one call).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { checkStackProps, DEFAULT_CONSOLE_DIR, gatewaysOf, type LoaStackProps } from './config.js';
import { Api } from './constructs/api.js';
import { Auth, CONSOLE_SCOPES } from './constructs/auth.js';
import { callbackUrlOf, ConsoleHosting, signedOutUrlOf } from './constructs/console-hosting.js';
import { DataTable } from './constructs/data-table.js';
import { DeliveryReports } from './constructs/delivery-reports.js';
import { Dispatch } from './constructs/dispatch.js';
import { EndUserMessaging } from './constructs/end-user-messaging.js';
import { Imports } from './constructs/imports.js';
import { Observability } from './constructs/observability.js';
import { Scheduling } from './constructs/scheduling.js';
import { SmppService } from './constructs/smpp-service.js';

export class LoaStack extends Stack {
  readonly data: DataTable;
  readonly auth: Auth;
  readonly console: ConsoleHosting;
  readonly dispatch: Dispatch;
  readonly scheduling: Scheduling;
  readonly api: Api;
  /** Only with `snsDeliveryLogs`: SNS's delivery-status logs and their ingester. */
  readonly deliveryReports?: DeliveryReports;
  /** Only with eum gateways. */
  readonly endUserMessaging?: EndUserMessaging;
  /** Only with smpp gateways: the Fargate service that keeps their binds. */
  readonly smppService?: SmppService;
  readonly observability: Observability;
  readonly imports: Imports;

  constructor(scope: Construct, id: string, props: LoaStackProps & StackProps) {
    super(scope, id, { description: `Loa (${props.stage}): mass SMS and scheduled broadcasts`, ...props });
    const { stage } = checkStackProps(props);

    this.data = new DataTable(this, 'Data', { stage });
    this.auth = new Auth(this, 'Auth', { stage, ...(props.authDomainPrefix && { domainPrefix: props.authDomainPrefix }) });
    this.dispatch = new Dispatch(this, 'Dispatch', { stage, gateways: gatewaysOf(props), data: this.data });
    this.scheduling = new Scheduling(this, 'Scheduling', { stage, data: this.data, dispatch: this.dispatch });
    this.console = new ConsoleHosting(this, 'Console', {
      stage,
      directory: props.consoleDir ?? DEFAULT_CONSOLE_DIR,
      loginUrl: this.auth.loginUrl,
    });
    const consoleOrigins = [this.console.url, ...(props.consoleOrigin ? [props.consoleOrigin] : [])];
    this.auth.addConsoleClient({ callbackUrls: consoleOrigins.map(callbackUrlOf), logoutUrls: consoleOrigins.map(signedOutUrlOf) });
    this.api = new Api(this, 'Api', {
      stage,
      data: this.data,
      auth: this.auth,
      scheduling: this.scheduling,
      dispatch: this.dispatch,
      consoleOrigins,
    });
    this.console.publish({
      apiUrl: this.api.url,
      clientId: this.auth.consoleClient.userPoolClientId,
      scopes: CONSOLE_SCOPES.map((scope) => scope.scopeName),
    });
    if (props.snsDeliveryLogs) {
      this.deliveryReports = new DeliveryReports(this, 'DeliveryReports', {
        stage,
        data: this.data,
        existingLogGroups: props.snsDeliveryLogs === 'existing',
      });
    }
    if (props.endUserMessaging) {
      this.endUserMessaging = new EndUserMessaging(this, 'EndUserMessaging', {
        stage,
        data: this.data,
        originationIdentities: props.endUserMessaging.originationIdentities,
      });
      this.endUserMessaging.bindSender(this.dispatch.sender.fn);
    }
    if (this.dispatch.smppSendQueue) {
      this.smppService = new SmppService(this, 'SmppService', {
        stage,
        data: this.data,
        queue: this.dispatch.smppSendQueue,
        gateways: gatewaysOf(props),
        ...(props.smppTasks !== undefined && { desiredCount: props.smppTasks }),
      });
    }
    this.imports = new Imports(this, 'Imports', { stage, data: this.data, consoleOrigins });
    this.imports.bindUploads(this.api.handler.fn);
    const functions = {
      Api: this.api.handler,
      ScheduleTarget: this.scheduling.scheduleTarget,
      FanOut: this.dispatch.fanOut,
      Sender: this.dispatch.sender,
      ...(this.deliveryReports && { DeliveryReports: this.deliveryReports.ingester }),
      Janitor: this.dispatch.janitor,
      ...(this.endUserMessaging && { EumDeliveryEvents: this.endUserMessaging.ingester }),
      Import: this.imports.importer,
    };
    // Only what erases, exports, imports, keeps answers to requests naming a number, or applies retention.
    for (const { fn } of [functions.Api, functions.Janitor]) this.data.bindPseudonymKey(fn);
    if (props.prices) this.api.handler.fn.addEnvironment('LOA_PRICES', JSON.stringify(props.prices));
    if (props.integrationClients) {
      // The importer too: a client limited to some areas imports into those only, in the background as well.
      for (const { fn } of [functions.Api, functions.Import]) {
        fn.addEnvironment('LOA_INTEGRATION_CLIENTS', JSON.stringify(props.integrationClients));
      }
    }
    // The estimate before approval (each route's rate, the file's prices) and the http gateways' delivery-report webhooks.
    this.dispatch.bindGateways(this.api.handler.fn);
    if (props.testNumbers?.length) {
      for (const { fn } of Object.values(functions)) fn.addEnvironment('LOA_TEST_NUMBERS', props.testNumbers.join(','));
    }
    this.observability = new Observability(this, 'Observability', {
      stage,
      ...(props.alarmEmail && { alarmEmail: props.alarmEmail }),
      functions,
      deadLetterQueues: {
        FanOut: this.dispatch.fanOutDlq,
        Send: this.dispatch.sendDlq,
        ...(this.dispatch.smppSendDlq && { SmppSend: this.dispatch.smppSendDlq }),
        Schedule: this.scheduling.deadLetterQueue,
        ...(this.deliveryReports && { DeliveryReports: this.deliveryReports.deadLetterQueue }),
        ...(this.endUserMessaging && { EumDeliveryEvents: this.endUserMessaging.deadLetterQueue }),
        Import: this.imports.deadLetterQueue,
      },
      workQueues: {
        FanOut: this.dispatch.fanOutQueue,
        Send: this.dispatch.sendQueue,
        ...(this.dispatch.smppSendQueue && { SmppSend: this.dispatch.smppSendQueue }),
      },
      scheduleGroup: this.scheduling.group,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Loa API' });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: 'The staff console: people sign in here' });
    new CfnOutput(this, 'ConsoleClientId', { value: this.auth.consoleClient.userPoolClientId });
    new CfnOutput(this, 'LoginDomain', { value: this.auth.loginUrl, description: "Cognito's managed login and OAuth 2.0 endpoints" });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'StaffClientId', { value: this.auth.staffClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.auth.machineClient.userPoolClientId });
    new CfnOutput(this, 'TokenUrl', { value: this.auth.tokenUrl, description: 'OAuth 2.0 token endpoint (client credentials)' });
    new CfnOutput(this, 'IntegrationScope', { value: this.auth.integrationScope });
    if (this.deliveryReports) {
      new CfnOutput(this, 'SnsDeliveryStatusRoleArn', {
        value: this.deliveryReports.snsLoggingRole.roleArn,
        description: 'DeliveryStatusIAMRole of the account SMS attributes',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: `Loa-${stage}` });
  }
}
