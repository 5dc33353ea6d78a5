/** The account, names and environment of the dev stack the AWS path tests and the cost bench play. */
export const ACCOUNT = '123456789012';
export const REGION = 'ap-southeast-1';
export const FANOUT_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/loa-dev-fan-out`;
export const SEND_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/loa-dev-send`;
export const SCHEDULE_TARGET_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:loa-dev-schedule-target`;
export const SCHEDULER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/loa-dev-scheduler`;
export const SCHEDULE_DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:loa-dev-schedule-dlq`;
export const SNS_LOG_GROUP = `sns/${REGION}/${ACCOUNT}/DirectPublishToPhoneNumber`;
export const LOCAL_CLIENT_CONFIG = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;

/** The environment the stack gives the functions (all of it: the driver runs every handler on one deps). */
export const PSEUDONYM_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:loa-dev-pseudonym-key-AbCdEf`;

export function awsTestEnv(tableName: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    SEND_QUEUE_URL,
    FANOUT_QUEUE_URL,
    SCHEDULE_GROUP: 'loa-dev',
    SCHEDULE_TARGET_ARN,
    SCHEDULER_ROLE_ARN,
    SCHEDULE_DLQ_ARN,
    SMS_SENDER_ID: 'SoTTTT',
    SENDER_TPS: '10000',
    SENDER_CONCURRENCY: '2',
    LOA_TIMEZONE: 'Asia/Ho_Chi_Minh',
    // Tests run at any hour: no quiet hours unless a test asks for them.
    LOA_QUIET_HOURS: '00:00-00:00',
    PSEUDONYM_SECRET_ARN,
    ...overrides,
  };
}
